// The webhooks' field errors live in api/ (label validation uses them too, and api must not import webhook/);
// re-exported here so every webhook keeps importing './fieldError.ts'.
export type { FieldError, FieldErrorType } from '../api/fieldError.ts';
export {
  alreadyExists,
  child,
  duplicate,
  forbidden,
  formatFieldErrors,
  goQuoteVerb,
  index,
  internalError,
  invalid,
  key,
  notFound,
  notSupported,
  renderFieldValue,
  required,
  tooLong,
  tooMany,
} from '../api/fieldError.ts';
