// The embeddable device plugin: one DevicePlugin server per configured resource pool, registered with
// kubelet, kept current by a loop that (every `pollIntervalMs`, and at once when fs.watch sees the PCI
// device directory or the device-plugins directory change) rescans sysfs, pushes changed device lists to
// ListAndWatch, and re-registers when kubelet came back: its kubelet.sock is a different file than the one
// we registered with, or our own socket was removed (kubelet deletes plugin sockets when it restarts).
import { type FSWatcher, watch } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { DevicePluginConfig, ResourceEntry } from './config.ts';
import type { DevicePluginError } from './errors.ts';
import { scanPools } from './inventory.ts';
import type { ApiDevice } from './messages.ts';
import { DEFAULT_DEVICE_INFO_DIR, pluginSocketName } from './naming.ts';
import { PLUGIN_OPTIONS, type PoolServer, startPoolServer } from './poolServer.ts';
import { DEFAULT_DEVICE_PLUGIN_DIR, DEVICE_PLUGIN_API_VERSION, KUBELET_SOCKET_NAME } from './proto.ts';
import { registerWithKubelet } from './register.ts';

export interface StartDevicePluginOptions {
  config: DevicePluginConfig;
  /** `/sys` on a host. */
  sysfsRoot?: string;
  /** Where kubelet.sock lives and the plugin sockets go (default /var/lib/kubelet/device-plugins). */
  kubeletSocketDir?: string;
  /** Default /var/run/k8s.cni.cncf.io/devinfo/dp. */
  deviceInfoDir?: string;
  /** Rescan / socket check period (default 100 ms: sysfs raises no fs.watch events for VFs or operstate). */
  pollIntervalMs?: number;
  /** Deadline of one Register call (default 5000 ms). */
  registerTimeoutMs?: number;
  /** Also react to fs.watch events (default true; sysfs attributes never raise them, directories may). */
  watchFiles?: boolean;
  log?: (line: string) => void;
}

export interface PoolStatus {
  resourceName: string;
  socketPath: string;
  devices: ApiDevice[];
  registered: boolean;
}

export interface DevicePlugin {
  pools(): PoolStatus[];
  /** Successful Register calls so far (all pools). */
  registrations(): number;
  /** Runs one rescan + socket check now (resolves when done). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

interface PoolSlot {
  entry: ResourceEntry;
  server: PoolServer;
  /** Identity (dev:ino) of the kubelet.sock we registered with; undefined = not registered. */
  registeredWith: string | undefined;
}

const DEBOUNCE_MS = 5;

const identity = async (path: string): Promise<string | undefined> => {
  try {
    const s = await lstat(path);
    return s.isSocket() ? `${s.dev}:${s.ino}:${s.ctimeMs}` : undefined;
  } catch {
    return undefined;
  }
};

const start = async (opts: StartDevicePluginOptions): Promise<Result<DevicePlugin, DevicePluginError>> => {
  const sysfsRoot = opts.sysfsRoot ?? '/sys';
  const dir = opts.kubeletSocketDir ?? DEFAULT_DEVICE_PLUGIN_DIR;
  const kubeletSocket = join(dir, KUBELET_SOCKET_NAME);
  const deviceInfoDir = opts.deviceInfoDir ?? DEFAULT_DEVICE_INFO_DIR;
  const interval = opts.pollIntervalMs ?? 100;
  const registerTimeoutMs = opts.registerTimeoutMs ?? 5000;
  const log = opts.log ?? (() => undefined);

  const first = await scanPools(sysfsRoot, opts.config);
  if (first.isErr()) return err(first.error);

  const serve = (entry: ResourceEntry) =>
    startPoolServer({
      entry,
      socketPath: join(dir, pluginSocketName(entry.prefix, entry.name)),
      deviceInfoDir,
      log,
    });

  const slots: PoolSlot[] = [];
  for (const [i, entry] of opts.config.resources.entries()) {
    const server = await serve(entry);
    if (server.isErr()) {
      await Promise.all(slots.map((s) => s.server.close()));
      return err(server.error);
    }
    server.value.update(first.value[i]?.devices ?? []);
    slots.push({ entry, server: server.value, registeredWith: undefined });
  }

  let registrations = 0;
  const register = async (slot: PoolSlot, kubeletId: string): Promise<void> => {
    const r = await registerWithKubelet({
      kubeletSocket,
      timeoutMs: registerTimeoutMs,
      request: {
        version: DEVICE_PLUGIN_API_VERSION,
        endpoint: pluginSocketName(slot.entry.prefix, slot.entry.name),
        resource_name: slot.entry.resourceName,
        options: PLUGIN_OPTIONS,
      },
    });
    if (r.isOk()) {
      slot.registeredWith = kubeletId;
      registrations++;
      log(`registered ${slot.entry.resourceName} with kubelet`);
    } else {
      slot.registeredWith = undefined;
      log(r.error.message);
    }
  };

  let closed = false;
  const syncOnce = async (): Promise<void> => {
    const scan = await scanPools(sysfsRoot, opts.config);
    if (scan.isOk())
      for (const [i, slot] of slots.entries()) slot.server.update(scan.value[i]?.devices ?? []);
    else log(scan.error.message);
    const kubeletId = await identity(kubeletSocket);
    for (const slot of slots) {
      if (closed) return;
      if ((await identity(slot.server.socketPath)) === undefined) {
        log(`socket ${slot.server.socketPath} is gone (kubelet restarted?): serving it again`);
        const devices = slot.server.devices();
        await slot.server.close();
        const again = await serve(slot.entry);
        if (again.isErr()) {
          log(again.error.message);
          continue;
        }
        again.value.update(devices);
        slot.server = again.value;
        slot.registeredWith = undefined;
      }
      if (kubeletId !== undefined && slot.registeredWith !== kubeletId) await register(slot, kubeletId);
    }
  };

  // One sync at a time; a request while one runs schedules exactly one more.
  let running: Promise<void> | undefined;
  let pending = false;
  const sync = (): Promise<void> => {
    if (running) {
      pending = true;
      return running;
    }
    running = (async () => {
      do {
        pending = false;
        await syncOnce();
      } while (pending && !closed);
      running = undefined;
    })();
    return running;
  };

  await sync();

  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    timer = setTimeout(() => {
      void sync().then(() => {
        if (!closed) tick();
      });
    }, interval);
  };
  tick();

  const watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  if (opts.watchFiles ?? true) {
    for (const path of [join(sysfsRoot, 'bus', 'pci', 'devices'), dir]) {
      try {
        const w = watch(path, () => {
          // A numVfs change is many file events: wait for a short quiet spell, then sync once.
          if (debounce) clearTimeout(debounce);
          debounce = setTimeout(() => {
            debounce = undefined;
            if (!closed) void sync();
          }, DEBOUNCE_MS);
        });
        w.on('error', () => w.close());
        watchers.push(w);
      } catch {
        // fs.watch is an accelerator only; the poll covers everything.
      }
    }
  }

  return ok({
    pools: () =>
      slots.map((s) => ({
        resourceName: s.entry.resourceName,
        socketPath: s.server.socketPath,
        devices: s.server.devices(),
        registered: s.registeredWith !== undefined,
      })),
    registrations: () => registrations,
    sync,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      if (debounce) clearTimeout(debounce);
      for (const w of watchers) w.close();
      await running;
      await Promise.all(slots.map((s) => s.server.close()));
    },
  });
};

/**
 * Starts serving and registering. Fails only on a sysfs tree that cannot be read or a socket that cannot be
 * bound; kubelet being absent is not a failure (the plugin registers once kubelet.sock appears).
 */
export const startDevicePlugin = (
  opts: StartDevicePluginOptions,
): ResultAsync<DevicePlugin, DevicePluginError> => new ResultAsync(start(opts));
