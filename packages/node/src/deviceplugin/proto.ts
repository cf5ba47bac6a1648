// Loads api.proto (kubelet's device plugin API v1beta1) once with @grpc/proto-loader and hands out the two
// service definitions and per-method codecs. Field names keep the proto's case (`devices_ids`, `ID`), int64
// arrives as a JS number, absent fields as their proto3 defaults, so decoders see one shape.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSync, type MethodDefinition, type ServiceDefinition } from '@grpc/proto-loader';

/** The API version a plugin announces in RegisterRequest.version. */
export const DEVICE_PLUGIN_API_VERSION = 'v1beta1';
/** kubelet's registration socket, relative to the device-plugins directory. */
export const KUBELET_SOCKET_NAME = 'kubelet.sock';
export const DEFAULT_DEVICE_PLUGIN_DIR = '/var/lib/kubelet/device-plugins';

// The file sits next to this module in the source tree; a tsup bundle copies it next to its chunks.
const protoPath = (): string => {
  const candidates = ['./api.proto', './deviceplugin/api.proto', '../api.proto'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`api.proto not found (looked at ${candidates.join(', ')})`);
  return found;
};

export interface DevicePluginProto {
  registration: ServiceDefinition;
  devicePlugin: ServiceDefinition;
}

const isServiceDefinition = (x: unknown): x is ServiceDefinition =>
  typeof x === 'object' && x !== null && !('format' in x);

let loaded: DevicePluginProto | undefined;

/** The loaded definitions (programmer error, thrown, if the bundled api.proto is missing or broken). */
export const deviceProto = (): DevicePluginProto => {
  if (loaded) return loaded;
  const def = loadSync(protoPath(), { keepCase: true, longs: Number, enums: String, defaults: true });
  const registration = def['v1beta1.Registration'];
  const devicePlugin = def['v1beta1.DevicePlugin'];
  if (!isServiceDefinition(registration) || !isServiceDefinition(devicePlugin))
    throw new Error('api.proto lacks the v1beta1 Registration / DevicePlugin services');
  loaded = { registration, devicePlugin };
  return loaded;
};

/** One method of a loaded service (programmer error if the name is wrong). */
export const method = (service: ServiceDefinition, name: string): MethodDefinition<object, object> => {
  const m = service[name];
  if (m === undefined) throw new Error(`no method ${name}`);
  return m;
};
