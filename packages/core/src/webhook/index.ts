export type { FieldError, FieldErrorType } from './fieldError.ts';
export {
  alreadyExists,
  child,
  duplicate,
  forbidden,
  formatFieldErrors,
  index,
  internalError,
  invalid,
  key,
  notFound,
  notSupported,
  renderFieldValue,
  required,
  tooLong,
} from './fieldError.ts';
