// Result helpers shared by the areas of core.
export { mapAsync, mapErrAsync, orElseAsync } from './steps.ts';
