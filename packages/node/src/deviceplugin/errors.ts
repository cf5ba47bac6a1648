// Errors of the device plugin: its configuration, its sockets, registration with kubelet and Allocate.
// Tagged union; `message` derived from the fields.

export type DevicePluginError =
  | { _tag: 'ConfigUnreadable'; path: string; code: string; message: string }
  | { _tag: 'ConfigInvalid'; path: string; value: unknown; detail: string; message: string }
  | { _tag: 'ListenFailed'; socketPath: string; cause: string; message: string }
  | {
      _tag: 'RegistrationFailed';
      kubeletSocket: string;
      resourceName: string;
      cause: string;
      message: string;
    }
  | { _tag: 'UnknownDevice'; resourceName: string; deviceId: string; message: string }
  | { _tag: 'BadRequest'; path: string; value: unknown; message: string }
  | { _tag: 'DeviceInfoWriteFailed'; path: string; code: string; message: string }
  | { _tag: 'SysfsUnavailable'; sysfsRoot: string; cause: string; message: string };

export type DevicePluginErrorTag = DevicePluginError['_tag'];

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

export const configUnreadable = (path: string, code: string): DevicePluginError => ({
  _tag: 'ConfigUnreadable',
  path,
  code,
  message: `cannot read device plugin config ${path}: ${code}`,
});

/** `path` is a JSON path into the config (`resourceList[0].selectors.pfNames[1]`). */
export const configInvalid = (path: string, value: unknown, detail: string): DevicePluginError => ({
  _tag: 'ConfigInvalid',
  path,
  value,
  detail,
  message: `invalid device plugin config at ${path || '<root>'} (${show(value)}): ${detail}`,
});

export const listenFailed = (socketPath: string, cause: string): DevicePluginError => ({
  _tag: 'ListenFailed',
  socketPath,
  cause,
  message: `cannot serve the device plugin on ${socketPath}: ${cause}`,
});

export const registrationFailed = (
  kubeletSocket: string,
  resourceName: string,
  cause: string,
): DevicePluginError => ({
  _tag: 'RegistrationFailed',
  kubeletSocket,
  resourceName,
  cause,
  message: `cannot register ${resourceName} with kubelet at ${kubeletSocket}: ${cause}`,
});

export const unknownDevice = (resourceName: string, deviceId: string): DevicePluginError => ({
  _tag: 'UnknownDevice',
  resourceName,
  deviceId,
  message: `device ${show(deviceId)} is not a device of ${resourceName}`,
});

export const badRequest = (path: string, value: unknown, detail: string): DevicePluginError => ({
  _tag: 'BadRequest',
  path,
  value,
  message: `bad request at ${path}: ${detail}`,
});

export const deviceInfoWriteFailed = (path: string, code: string): DevicePluginError => ({
  _tag: 'DeviceInfoWriteFailed',
  path,
  code,
  message: `cannot write the device-info file ${path}: ${code}`,
});

export const sysfsUnavailable = (sysfsRoot: string, cause: string): DevicePluginError => ({
  _tag: 'SysfsUnavailable',
  sysfsRoot,
  cause,
  message: `cannot discover SR-IOV devices under ${sysfsRoot}: ${cause}`,
});

/** errno code of a Node error, `EUNKNOWN` for anything else. */
export const errorCode = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'EUNKNOWN';

/** A readable cause from anything thrown or passed to a callback. */
export const causeOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
