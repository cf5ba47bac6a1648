// Errors of the api area: decoding Spiderpool's JSON-in-a-string status fields.

export type StatusField = 'allocatedIPs' | 'controlledIPPools';

export type ApiError =
  | {
      readonly _tag: 'MalformedStatusJSON';
      field: StatusField;
      input: string;
      cause: unknown;
      message: string;
    }
  | {
      readonly _tag: 'InvalidStatusShape';
      field: StatusField;
      path: string;
      expected: string;
      message: string;
    };

export function malformedStatusJSON(field: StatusField, input: string, cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    _tag: 'MalformedStatusJSON',
    field,
    input,
    cause,
    message: `status.${field} is not valid JSON: ${reason}`,
  };
}

export function invalidStatusShape(field: StatusField, path: string, expected: string): ApiError {
  return {
    _tag: 'InvalidStatusShape',
    field,
    path,
    expected,
    message: `status.${field}${path}: expected ${expected}`,
  };
}
