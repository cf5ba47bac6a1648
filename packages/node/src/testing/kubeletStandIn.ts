// A stand-in for kubelet's device manager (pkg/kubelet/cm/devicemanager), for tests and the demo. It serves
// Registration on <dir>/kubelet.sock over real gRPC; for every registered plugin it dials the plugin's
// socket, follows ListAndWatch, mirrors the counts into the Node's status.capacity / status.allocatable in
// a Store, and allocates devices to Pods the way kubelet does per container: free healthy devices ->
// GetPreferredAllocation (when the plugin offers it) -> Allocate. Allocations are released when the Pod
// is deleted from the Store (or by `releasePod`) and survive a plugin or "kubelet" restart (kubelet keeps
// them in a checkpoint). When a plugin's stream ends, its devices count as unhealthy (allocatable 0)
// until it registers again, as kubelet does during its grace period.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { KubeObject, Store, WatchHandle } from '@spiderpool-ts/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { badRequest } from '../deviceplugin/errors.ts';
import { bindUnix, grpcError, Server, shutdownUnix } from '../deviceplugin/grpcServe.ts';
import { type ApiDevice, decodeRegisterRequest, type RegisterRequest } from '../deviceplugin/messages.ts';
import { DEVICE_PLUGIN_API_VERSION, deviceProto, KUBELET_SOCKET_NAME } from '../deviceplugin/proto.ts';
import { allocateFromPlugin, type ContainerAllocation } from './containerAllocation.ts';
import { type KubeletError, unknownResource } from './kubeletErrors.ts';
import { nodeStatusWriter, type ResourceCounts } from './nodeStatus.ts';
import { connectPlugin, type PluginClient } from './pluginClient.ts';
import { containerRequests } from './podResources.ts';

export interface KubeletStandInOptions {
  /** The device-plugins directory (kubelet.sock is created here). */
  socketDir: string;
  nodeName?: string;
  /** Where the Node status goes and Pod deletions are watched. */
  store?: Store;
  /**
   * The plugins' device-info directory: when given, each container allocation carries the device-info of
   * its devices as Multus would read them (what the chain runner puts into the NAD's `deviceID`).
   */
  deviceInfoDir?: string;
  /** Deadline of each call to a plugin (default 5000 ms). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface PodAllocation {
  namespace: string;
  name: string;
  containers: ContainerAllocation[];
}

export interface ResourceView {
  devices: ApiDevice[];
  capacity: number;
  allocatable: number;
  allocated: string[];
  /** The plugin's ListAndWatch stream is open. */
  connected: boolean;
}

export interface KubeletStandIn {
  readonly socketPath: string;
  /** Every accepted RegisterRequest, oldest first. */
  registrations(): RegisterRequest[];
  resources(): Record<string, ResourceView>;
  /** Polls `pred` every 5 ms until true or `timeoutMs` (default 10 s); resolves with the last answer. */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<boolean>;
  allocatePod(pod: KubeObject): ResultAsync<PodAllocation, KubeletError>;
  allocation(namespace: string, name: string): PodAllocation | undefined;
  releasePod(namespace: string, name: string): void;
  /** Like a kubelet restart: stops, deletes the plugin sockets, serves a new kubelet.sock. */
  restart(): Promise<void>;
  /** Resolves when queued Node status writes are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Endpoint {
  request: RegisterRequest;
  client: PluginClient;
  cancel: () => void;
  devices: ApiDevice[];
  connected: boolean;
}

const podKey = (ns: string, name: string): string => `${ns}/${name}`;

export const startKubeletStandIn = async (opts: KubeletStandInOptions): Promise<KubeletStandIn> => {
  const socketPath = join(opts.socketDir, KUBELET_SOCKET_NAME);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const log = opts.log ?? (() => undefined);
  const endpoints = new Map<string, Endpoint>();
  /** Devices of a resource seen so far, kept when its plugin goes away (capacity stays). */
  const lastDevices = new Map<string, ApiDevice[]>();
  const pods = new Map<string, PodAllocation>();
  const history: RegisterRequest[] = [];
  const writer = opts.store
    ? nodeStatusWriter(opts.store, opts.nodeName ?? 'node-1', (e) => log(e.message))
    : undefined;

  const allocatedIds = (res: string): Set<string> =>
    new Set(
      [...pods.values()].flatMap((p) =>
        p.containers.filter((c) => c.resourceName === res).flatMap((c) => c.deviceIds),
      ),
    );

  const counts = (): Map<string, ResourceCounts> => {
    const out = new Map<string, ResourceCounts>();
    for (const [res, devices] of lastDevices) {
      const ep = endpoints.get(res);
      const healthy = ep?.connected ? ep.devices.filter((d) => d.health === 'Healthy').length : 0;
      out.set(res, { capacity: devices.length, allocatable: healthy });
    }
    return out;
  };
  const publish = () => void writer?.publish(counts());

  const connect = (req: RegisterRequest) => {
    const res = req.resource_name;
    const old = endpoints.get(res);
    if (old) {
      old.cancel();
      old.client.close();
    }
    const client = connectPlugin(join(opts.socketDir, req.endpoint), timeoutMs);
    const ep: Endpoint = { request: req, client, cancel: () => undefined, devices: [], connected: false };
    endpoints.set(res, ep);
    ep.cancel = client.listAndWatch(
      (list) => {
        if (endpoints.get(res) !== ep) return;
        ep.devices = list.devices;
        ep.connected = true;
        lastDevices.set(res, list.devices);
        publish();
      },
      (cause) => {
        if (endpoints.get(res) !== ep) return;
        log(`ListAndWatch of ${res} ended: ${cause}`);
        ep.connected = false;
        publish();
      },
    );
  };

  const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
  const handlers = {
    Register: (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => {
      const d = decodeRegisterRequest(call.request);
      if (d.isErr()) return cb(grpcError(badRequest(d.error.path, d.error.value, d.error.message)));
      const req = d.value;
      if (req.version !== DEVICE_PLUGIN_API_VERSION)
        return cb(
          grpcError(
            badRequest('version', req.version, `unsupported version, want ${DEVICE_PLUGIN_API_VERSION}`),
          ),
        );
      if (!RESOURCE.test(req.resource_name) || req.resource_name.startsWith('kubernetes.io/'))
        return cb(grpcError(badRequest('resource_name', req.resource_name, 'not an extended resource name')));
      if (req.endpoint === '' || req.endpoint.includes('/'))
        return cb(
          grpcError(badRequest('endpoint', req.endpoint, 'a socket file name in the device-plugins dir')),
        );
      history.push(req);
      cb(null, {});
      // kubelet answers Register first, then dials the plugin.
      setImmediate(() => connect(req));
    },
  };

  let server = new Server();
  const serve = async () => {
    server = new Server();
    server.addService(deviceProto().registration, handlers);
    const bound = await bindUnix(server, socketPath);
    if (bound.isErr()) throw new Error(bound.error.message);
  };
  await serve();

  let podWatch: WatchHandle | undefined;
  if (opts.store) {
    const w = await opts.store.watch('Pod', {}, (ev) => {
      if (ev.type === 'DELETED') release(ev.object.metadata.namespace ?? '', ev.object.metadata.name);
    });
    if (w.isOk()) podWatch = w.value;
  }

  const release = (ns: string, name: string) => {
    if (pods.delete(podKey(ns, name))) publish();
  };

  const allocateContainer = (
    container: string,
    res: string,
    n: number,
    taken: Set<string>,
  ): ResultAsync<ContainerAllocation, KubeletError> => {
    const ep = endpoints.get(res);
    if (!ep?.connected) return errAsync(unknownResource(res));
    const busy = allocatedIds(res);
    const free = ep.devices
      .filter((d) => d.health === 'Healthy' && !busy.has(d.ID) && !taken.has(d.ID))
      .map((d) => d.ID);
    const step = { container, resourceName: res, count: n, free };
    return allocateFromPlugin(ep.client, ep.request.options, step, opts.deviceInfoDir).map((a) => {
      for (const id of a.deviceIds) taken.add(id);
      return a;
    });
  };

  return {
    socketPath,
    registrations: () => [...history],
    resources: () => {
      const out: Record<string, ResourceView> = {};
      for (const [res, devices] of lastDevices) {
        const c = counts().get(res) ?? { capacity: 0, allocatable: 0 };
        out[res] = {
          devices,
          ...c,
          allocated: [...allocatedIds(res)].sort(),
          connected: endpoints.get(res)?.connected ?? false,
        };
      }
      return out;
    },
    waitFor: async (pred, waitMs = 10_000) => {
      const until = Date.now() + waitMs;
      while (!pred()) {
        if (Date.now() > until) return false;
        await new Promise((r) => setTimeout(r, 5));
      }
      return true;
    },
    allocatePod: (pod) => {
      const ns = pod.metadata.namespace ?? 'default';
      const name = pod.metadata.name;
      const key = podKey(ns, name);
      const existing = pods.get(key);
      if (existing) return okAsync(existing);
      const parsed = containerRequests(pod, new Set([...endpoints.keys(), ...lastDevices.keys()]));
      if (parsed.isErr()) return errAsync(parsed.error);
      const taken = new Set<string>();
      const steps = parsed.value.flatMap((c) =>
        [...c.counts].map(([res, n]) => ({ container: c.container, res, n })),
      );
      const run = async (): Promise<PodAllocation | KubeletError> => {
        const containers: ContainerAllocation[] = [];
        for (const s of steps) {
          const r = await allocateContainer(s.container, s.res, s.n, taken);
          if (r.isErr()) return r.error;
          containers.push(r.value);
        }
        const alloc = { namespace: ns, name, containers };
        pods.set(key, alloc);
        publish();
        return alloc;
      };
      return ResultAsync.fromSafePromise(run()).andThen((v) => ('_tag' in v ? errAsync(v) : okAsync(v)));
    },
    allocation: (ns, name) => pods.get(podKey(ns, name)),
    releasePod: release,
    restart: async () => {
      await shutdownUnix(server, socketPath);
      for (const ep of endpoints.values()) {
        ep.cancel();
        ep.client.close();
        ep.connected = false;
      }
      endpoints.clear();
      publish();
      // kubelet removes every socket in the directory but its own when it starts.
      for (const f of await readdir(opts.socketDir))
        if (f !== KUBELET_SOCKET_NAME) await rm(join(opts.socketDir, f), { force: true });
      await serve();
    },
    idle: async () => {
      await writer?.idle();
    },
    close: async () => {
      podWatch?.close();
      for (const ep of endpoints.values()) {
        ep.cancel();
        ep.client.close();
      }
      endpoints.clear();
      await writer?.idle();
      await shutdownUnix(server, socketPath);
    },
  };
};
