// Moved to ../crds/schemaValidation.ts (the webhook server checks review objects with it too).
export type { FieldCause } from '../crds/schemaValidation.ts';
export { schemaCauses, validateAgainstSchema } from '../crds/schemaValidation.ts';
