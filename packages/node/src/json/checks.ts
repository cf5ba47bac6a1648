// Shape checks for JSON read from outside (netconfs, agent answers, CNI results, `ip -j` output): one
// definition for every plugin and the agent.

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field check of a netconf table: `[key, check, "what it must be"]`. */
export type Check = (v: unknown) => boolean;
export const isString: Check = (v) => typeof v === 'string';
export const isBool: Check = (v) => typeof v === 'boolean';
export const isInt: Check = (v) => typeof v === 'number' && Number.isInteger(v);
export const isStringList: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
