// Errors of SR-IOV discovery, numVfs writes and VF selection. Tagged union; `message` derived from fields.
// Discovery never throws: unreadable or odd sysfs entries become `problems` next to what could be read.

export type SriovError =
  | { _tag: 'SysfsUnreadable'; path: string; code: string; message: string }
  | { _tag: 'MalformedEntry'; path: string; value: string; detail: string; message: string }
  | { _tag: 'NotAPhysicalFunction'; pciAddress: string; message: string }
  | { _tag: 'NumVfsOutOfRange'; pciAddress: string; requested: number; total: number; message: string }
  | { _tag: 'SysfsWriteFailed'; path: string; value: string; code: string; message: string }
  | { _tag: 'InvalidSelector'; selector: string; entry: string; detail: string; message: string };

export type SriovErrorTag = SriovError['_tag'];

export const sysfsUnreadable = (path: string, code: string): SriovError => ({
  _tag: 'SysfsUnreadable',
  path,
  code,
  message: `cannot read ${path}: ${code}`,
});

export const malformedEntry = (path: string, value: string, detail: string): SriovError => ({
  _tag: 'MalformedEntry',
  path,
  value,
  detail,
  message: `malformed sysfs entry ${path}=${JSON.stringify(value)}: ${detail}`,
});

export const notAPhysicalFunction = (pciAddress: string): SriovError => ({
  _tag: 'NotAPhysicalFunction',
  pciAddress,
  message: `${pciAddress} is not an SR-IOV physical function (no sriov_totalvfs)`,
});

export const numVfsOutOfRange = (pciAddress: string, requested: number, total: number): SriovError => ({
  _tag: 'NumVfsOutOfRange',
  pciAddress,
  requested,
  total,
  message: `cannot set ${requested} VFs on ${pciAddress}: must be an integer in 0..${total} (sriov_totalvfs)`,
});

export const sysfsWriteFailed = (path: string, value: string, code: string): SriovError => ({
  _tag: 'SysfsWriteFailed',
  path,
  value,
  code,
  message: `cannot write ${JSON.stringify(value)} to ${path}: ${code}`,
});

export const invalidSelector = (selector: string, entry: string, detail: string): SriovError => ({
  _tag: 'InvalidSelector',
  selector,
  entry,
  detail,
  message: `invalid VF selector ${JSON.stringify(selector)} at ${JSON.stringify(entry)}: ${detail}`,
});

/** errno code of a Node fs error, `EUNKNOWN` for anything else. */
export const errnoCode = (e: unknown): string => {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return 'EUNKNOWN';
};
