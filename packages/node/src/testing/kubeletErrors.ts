// Errors of the kubelet stand-in (test double for kubelet's device manager).

export type KubeletError =
  | { _tag: 'PodInvalid'; path: string; value: unknown; message: string }
  | { _tag: 'UnknownResource'; resourceName: string; message: string }
  | { _tag: 'InsufficientDevices'; resourceName: string; requested: number; free: number; message: string }
  | {
      _tag: 'PluginCallFailed';
      socketPath: string;
      rpc: string;
      code?: number;
      details: string;
      message: string;
    }
  | { _tag: 'StoreWriteFailed'; detail: string; message: string };

export const podInvalid = (path: string, value: unknown, detail: string): KubeletError => ({
  _tag: 'PodInvalid',
  path,
  value,
  message: `pod ${path}: ${detail} (${JSON.stringify(value) ?? String(value)})`,
});

export const unknownResource = (resourceName: string): KubeletError => ({
  _tag: 'UnknownResource',
  resourceName,
  message: `no device plugin registered for ${resourceName}`,
});

export const insufficientDevices = (resourceName: string, requested: number, free: number): KubeletError => ({
  _tag: 'InsufficientDevices',
  resourceName,
  requested,
  free,
  message: `${resourceName}: ${requested} requested, ${free} healthy and free`,
});

export const pluginCallFailed = (socketPath: string, rpc: string, e: unknown): KubeletError => {
  const code =
    typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'number' ? e.code : undefined;
  const details =
    typeof e === 'object' && e !== null && 'details' in e && typeof e.details === 'string'
      ? e.details
      : e instanceof Error
        ? e.message
        : String(e);
  const out: KubeletError = {
    _tag: 'PluginCallFailed',
    socketPath,
    rpc,
    details,
    message: `${rpc} on ${socketPath} failed: ${details}`,
  };
  if (code !== undefined) out.code = code;
  return out;
};

export const storeWriteFailed = (detail: string): KubeletError => ({
  _tag: 'StoreWriteFailed',
  detail,
  message: `node status write failed: ${detail}`,
});
