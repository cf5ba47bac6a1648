// The device plugin API's messages as TypeScript types (field names as in api.proto), and decoders that
// check what the gRPC layer hands over before a handler trusts it: proto-loader's objects are `object`,
// and a peer can send any bytes that happen to decode.
import { err, ok, Result } from 'neverthrow';

export type DeviceHealth = 'Healthy' | 'Unhealthy';

export interface DevicePluginOptions {
  pre_start_required: boolean;
  get_preferred_allocation_available: boolean;
}

export interface RegisterRequest {
  version: string;
  endpoint: string;
  resource_name: string;
  options?: DevicePluginOptions;
}

export interface ApiDevice {
  ID: string;
  health: DeviceHealth;
  topology?: { nodes: { ID: number }[] };
}

export interface ListAndWatchResponse {
  devices: ApiDevice[];
}

export interface ContainerPreferredAllocationRequest {
  available_deviceIDs: string[];
  must_include_deviceIDs: string[];
  allocation_size: number;
}

export interface PreferredAllocationRequest {
  container_requests: ContainerPreferredAllocationRequest[];
}

export interface PreferredAllocationResponse {
  container_responses: { deviceIDs: string[] }[];
}

export interface AllocateRequest {
  container_requests: { devices_ids: string[] }[];
}

export interface ContainerAllocateResponse {
  envs: Record<string, string>;
  mounts: { container_path: string; host_path: string; read_only: boolean }[];
  devices: { container_path: string; host_path: string; permissions: string }[];
  annotations: Record<string, string>;
  cdi_devices: { name: string }[];
}

export interface AllocateResponse {
  container_responses: ContainerAllocateResponse[];
}

export interface PreStartContainerRequest {
  devices_ids: string[];
}

/** Where a message did not have the expected shape. */
export interface ShapeError {
  path: string;
  value: unknown;
  message: string;
}

type Decoded<T> = Result<T, ShapeError>;

const shape = (path: string, value: unknown, expected: string): ShapeError => ({
  path,
  value,
  message: `${path}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
});

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

const field = (o: unknown, key: string): unknown => (isRecord(o) ? o[key] : undefined);

const strings = (v: unknown, path: string): Decoded<string[]> => {
  if (v === undefined) return ok([]);
  if (!Array.isArray(v)) return err(shape(path, v, 'a list of strings'));
  const out: string[] = [];
  for (const [i, s] of v.entries()) {
    if (typeof s !== 'string') return err(shape(`${path}[${i}]`, s, 'a string'));
    out.push(s);
  }
  return ok(out);
};

const list = <T>(v: unknown, path: string, item: (x: unknown, p: string) => Decoded<T>): Decoded<T[]> => {
  if (v === undefined) return ok([]);
  if (!Array.isArray(v)) return err(shape(path, v, 'a list'));
  return Result.combine(v.map((x, i) => item(x, `${path}[${i}]`)));
};

const str = (v: unknown, path: string): Decoded<string> =>
  v === undefined ? ok('') : typeof v === 'string' ? ok(v) : err(shape(path, v, 'a string'));

const stringMap = (v: unknown, path: string): Decoded<Record<string, string>> => {
  if (v === undefined) return ok({});
  if (!isRecord(v)) return err(shape(path, v, 'a string map'));
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') return err(shape(`${path}.${k}`, s, 'a string'));
    out[k] = s;
  }
  return ok(out);
};

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export const decodeRegisterRequest = (m: unknown): Decoded<RegisterRequest> =>
  str(field(m, 'version'), 'version').andThen((version) =>
    str(field(m, 'endpoint'), 'endpoint').andThen((endpoint) =>
      str(field(m, 'resource_name'), 'resource_name').map((resource_name): RegisterRequest => {
        const o = field(m, 'options');
        const req: RegisterRequest = { version, endpoint, resource_name };
        if (isRecord(o))
          req.options = {
            pre_start_required: o.pre_start_required === true,
            get_preferred_allocation_available: o.get_preferred_allocation_available === true,
          };
        return req;
      }),
    ),
  );

export const decodeAllocateRequest = (m: unknown): Decoded<AllocateRequest> =>
  list(field(m, 'container_requests'), 'container_requests', (c, p) =>
    strings(field(c, 'devices_ids'), `${p}.devices_ids`).map((devices_ids) => ({ devices_ids })),
  ).map((container_requests) => ({ container_requests }));

export const decodePreferredAllocationRequest = (m: unknown): Decoded<PreferredAllocationRequest> =>
  list(field(m, 'container_requests'), 'container_requests', (c, p) =>
    strings(field(c, 'available_deviceIDs'), `${p}.available_deviceIDs`).andThen((available_deviceIDs) =>
      strings(field(c, 'must_include_deviceIDs'), `${p}.must_include_deviceIDs`).andThen(
        (must_include_deviceIDs) => {
          const size = field(c, 'allocation_size') ?? 0;
          if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
            return err(shape(`${p}.allocation_size`, size, 'a non-negative integer'));
          return ok({ available_deviceIDs, must_include_deviceIDs, allocation_size: size });
        },
      ),
    ),
  ).map((container_requests) => ({ container_requests }));

export const decodePreStartContainerRequest = (m: unknown): Decoded<PreStartContainerRequest> =>
  strings(field(m, 'devices_ids'), 'devices_ids').map((devices_ids) => ({ devices_ids }));

const decodeDevice = (d: unknown, p: string): Decoded<ApiDevice> =>
  str(field(d, 'ID'), `${p}.ID`).andThen((ID) => {
    const health = field(d, 'health');
    if (health !== 'Healthy' && health !== 'Unhealthy')
      return err(shape(`${p}.health`, health, '"Healthy" or "Unhealthy"'));
    const dev: ApiDevice = { ID, health };
    const nodes = field(field(d, 'topology'), 'nodes');
    if (Array.isArray(nodes))
      dev.topology = {
        nodes: nodes
          .map((n) => field(n, 'ID'))
          .filter((x): x is number => typeof x === 'number')
          .map((ID) => ({ ID })),
      };
    return ok(dev);
  });

export const decodeListAndWatchResponse = (m: unknown): Decoded<ListAndWatchResponse> =>
  list(field(m, 'devices'), 'devices', decodeDevice).map((devices) => ({ devices }));

export const decodeDevicePluginOptions = (m: unknown): Decoded<DevicePluginOptions> =>
  ok({
    pre_start_required: field(m, 'pre_start_required') === true,
    get_preferred_allocation_available: field(m, 'get_preferred_allocation_available') === true,
  });

export const decodePreferredAllocationResponse = (m: unknown): Decoded<PreferredAllocationResponse> =>
  list(field(m, 'container_responses'), 'container_responses', (c, p) =>
    strings(field(c, 'deviceIDs'), `${p}.deviceIDs`).map((deviceIDs) => ({ deviceIDs })),
  ).map((container_responses) => ({ container_responses }));

export const decodeAllocateResponse = (m: unknown): Decoded<AllocateResponse> =>
  list(field(m, 'container_responses'), 'container_responses', (c, p) =>
    stringMap(field(c, 'envs'), `${p}.envs`).andThen((envs) =>
      stringMap(field(c, 'annotations'), `${p}.annotations`).map(
        (annotations): ContainerAllocateResponse => ({
          envs,
          annotations,
          mounts: arr(field(c, 'mounts')).map((x) => ({
            container_path: text(field(x, 'container_path')),
            host_path: text(field(x, 'host_path')),
            read_only: field(x, 'read_only') === true,
          })),
          devices: arr(field(c, 'devices')).map((x) => ({
            container_path: text(field(x, 'container_path')),
            host_path: text(field(x, 'host_path')),
            permissions: text(field(x, 'permissions')),
          })),
          cdi_devices: arr(field(c, 'cdi_devices')).map((x) => ({ name: text(field(x, 'name')) })),
        }),
      ),
    ),
  ).map((container_responses) => ({ container_responses }));
