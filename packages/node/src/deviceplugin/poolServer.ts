// One resource pool's DevicePlugin gRPC service on its own unix socket (as sriov-network-device-plugin
// runs one server per pool). It holds the pool's current device list; `update` pushes a changed list to
// every open ListAndWatch stream. Allocate checks every requested id against the current list before it
// writes anything; an unknown id fails the whole call with NOT_FOUND and no device-info file is written.
import type { ServerUnaryCall, ServerWritableStream, sendUnaryData } from '@grpc/grpc-js';
import { err, ok, type Result } from 'neverthrow';
import type { ResourceEntry } from './config.ts';
import { writeDeviceInfoFiles } from './deviceInfoFiles.ts';
import { badRequest, type DevicePluginError, unknownDevice } from './errors.ts';
import { bindUnix, grpcError, Server, shutdownUnix } from './grpcServe.ts';
import { fingerprint } from './inventory.ts';
import {
  type AllocateResponse,
  type ApiDevice,
  type ContainerPreferredAllocationRequest,
  type DevicePluginOptions,
  decodeAllocateRequest,
  decodePreferredAllocationRequest,
  decodePreStartContainerRequest,
  type ListAndWatchResponse,
  type ShapeError,
} from './messages.ts';
import { allocationEnvs } from './naming.ts';
import { deviceProto } from './proto.ts';

export const PLUGIN_OPTIONS: DevicePluginOptions = {
  pre_start_required: false,
  get_preferred_allocation_available: true,
};

export interface PoolServerOptions {
  entry: ResourceEntry;
  socketPath: string;
  deviceInfoDir: string;
  log: (line: string) => void;
}

export interface PoolServer {
  readonly resourceName: string;
  readonly socketPath: string;
  devices(): ApiDevice[];
  /** Replaces the device list; sends it to every ListAndWatch stream when it differs. */
  update(devices: ApiDevice[]): void;
  /** Number of open ListAndWatch streams. */
  watchers(): number;
  close(): Promise<void>;
}

const fromShape = (e: ShapeError): DevicePluginError => badRequest(e.path, e.value, e.message);

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** must_include first, then healthy before unhealthy, then PCI address order. */
export const preferDevices = (
  req: ContainerPreferredAllocationRequest,
  known: ReadonlyMap<string, ApiDevice>,
  path: string,
): Result<string[], DevicePluginError> => {
  const available = new Set(req.available_deviceIDs);
  for (const id of req.must_include_deviceIDs)
    if (!available.has(id))
      return err(badRequest(`${path}.must_include_deviceIDs`, id, 'not among available'));
  if (req.allocation_size > available.size)
    return err(badRequest(`${path}.allocation_size`, req.allocation_size, 'more than available'));
  if (req.must_include_deviceIDs.length > req.allocation_size)
    return err(badRequest(`${path}.allocation_size`, req.allocation_size, 'smaller than must_include'));
  const chosen = [...new Set(req.must_include_deviceIDs)];
  const rest = [...available]
    .filter((id) => !chosen.includes(id))
    .sort((a, b) => {
      const ha = known.get(a)?.health === 'Healthy' ? 0 : 1;
      const hb = known.get(b)?.health === 'Healthy' ? 0 : 1;
      return ha - hb || byId(a, b);
    });
  return ok([...chosen, ...rest].slice(0, req.allocation_size));
};

const checkIds = (
  ids: readonly string[],
  known: ReadonlyMap<string, ApiDevice>,
  resourceName: string,
  path: string,
): DevicePluginError | undefined => {
  if (ids.length === 0) return badRequest(path, ids, 'no device ids');
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return badRequest(path, id, 'device id listed twice');
    seen.add(id);
    if (!known.has(id)) return unknownDevice(resourceName, id);
  }
  return undefined;
};

/** Starts serving one pool. */
export const startPoolServer = async (
  opts: PoolServerOptions,
): Promise<Result<PoolServer, DevicePluginError>> => {
  const { entry, socketPath, deviceInfoDir, log } = opts;
  const { resourceName } = entry;
  let current: ApiDevice[] = [];
  let known = new Map<string, ApiDevice>();
  let print = fingerprint(current);
  const streams = new Set<ServerWritableStream<unknown, ListAndWatchResponse>>();

  const handlers = {
    GetDevicePluginOptions: (_c: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<DevicePluginOptions>) =>
      cb(null, PLUGIN_OPTIONS),
    ListAndWatch: (call: ServerWritableStream<unknown, ListAndWatchResponse>) => {
      streams.add(call);
      const drop = () => streams.delete(call);
      call.on('cancelled', drop);
      call.on('close', drop);
      call.on('error', drop);
      call.write({ devices: current });
    },
    GetPreferredAllocation: (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
      const r = decodePreferredAllocationRequest(call.request)
        .mapErr(fromShape)
        .andThen((req) =>
          ok(req.container_requests).andThen((reqs) => {
            const out: { deviceIDs: string[] }[] = [];
            for (const [i, c] of reqs.entries()) {
              const p = preferDevices(c, known, `container_requests[${i}]`);
              if (p.isErr()) return err(p.error);
              out.push({ deviceIDs: p.value });
            }
            return ok({ container_responses: out });
          }),
        );
      r.match(
        (v) => cb(null, v),
        (e) => cb(grpcError(e)),
      );
    },
    Allocate: (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<AllocateResponse>) => {
      const decoded = decodeAllocateRequest(call.request).mapErr(fromShape);
      if (decoded.isErr()) return cb(grpcError(decoded.error));
      const reqs = decoded.value.container_requests;
      if (reqs.length === 0) return cb(grpcError(badRequest('container_requests', [], 'no containers')));
      for (const [i, c] of reqs.entries()) {
        const bad = checkIds(c.devices_ids, known, resourceName, `container_requests[${i}].devices_ids`);
        if (bad) {
          log(`Allocate refused: ${bad.message}`);
          return cb(grpcError(bad));
        }
      }
      const all = reqs.flatMap((c) => c.devices_ids);
      void writeDeviceInfoFiles(deviceInfoDir, resourceName, all).then((w) =>
        w.match(
          () => {
            log(`Allocate ${resourceName}: ${reqs.map((c) => c.devices_ids.join(',')).join(' | ')}`);
            cb(null, {
              container_responses: reqs.map((c) => ({
                envs: allocationEnvs(entry.prefix, entry.name, c.devices_ids),
                mounts: [],
                devices: [],
                annotations: {},
                cdi_devices: [],
              })),
            });
          },
          (e) => cb(grpcError(e)),
        ),
      );
    },
    PreStartContainer: (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
      decodePreStartContainerRequest(call.request).match(
        () => cb(null, {}),
        (e) => cb(grpcError(fromShape(e))),
      );
    },
  };

  const server = new Server();
  server.addService(deviceProto().devicePlugin, handlers);
  const bound = await bindUnix(server, socketPath);
  if (bound.isErr()) {
    server.forceShutdown();
    return err(bound.error);
  }
  return ok({
    resourceName,
    socketPath,
    devices: () => current,
    update: (devices) => {
      const next = fingerprint(devices);
      current = devices;
      known = new Map(devices.map((d) => [d.ID, d]));
      if (next === print) return;
      print = next;
      for (const s of streams) s.write({ devices });
    },
    watchers: () => streams.size,
    close: async () => {
      for (const s of streams) s.end();
      streams.clear();
      await shutdownUnix(server, socketPath);
    },
  });
};
