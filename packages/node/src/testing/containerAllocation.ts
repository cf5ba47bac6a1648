// One container's share of a Pod admission in the kubelet stand-in (test double for kubelet's device
// manager): from the free healthy devices, ask the plugin's GetPreferredAllocation when it offers one (an
// answer that is not `count` distinct free ids is ignored, as kubelet does), then Allocate, then read the
// device-info files the plugin wrote, as Multus would.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { ContainerAllocateResponse, DevicePluginOptions } from '../deviceplugin/messages.ts';
import type { PciDeviceInfo } from '../deviceplugin/naming.ts';
import { readDeviceInfo } from './deviceInfoRead.ts';
import { insufficientDevices, type KubeletError } from './kubeletErrors.ts';
import type { PluginClient } from './pluginClient.ts';

export interface ContainerAllocation {
  container: string;
  resourceName: string;
  deviceIds: string[];
  /** The plugin's answer for this container (envs, annotations, mounts, devices). */
  response: ContainerAllocateResponse;
  /** Device id -> its device-info file (only with `deviceInfoDir`; absent when unreadable). */
  deviceInfo: Record<string, PciDeviceInfo>;
}

export interface AllocationStep {
  container: string;
  resourceName: string;
  count: number;
  /** Healthy devices no Pod holds, in the plugin's list order. */
  free: string[];
}

const EMPTY: ContainerAllocateResponse = {
  envs: {},
  mounts: [],
  devices: [],
  annotations: {},
  cdi_devices: [],
};

const readInfos = async (
  dir: string | undefined,
  resourceName: string,
  ids: readonly string[],
): Promise<Record<string, PciDeviceInfo>> => {
  const out: Record<string, PciDeviceInfo> = {};
  if (dir === undefined) return out;
  for (const id of ids) {
    const info = await readDeviceInfo(dir, resourceName, id);
    if (info) out[id] = info;
  }
  return out;
};

export const allocateFromPlugin = (
  client: PluginClient,
  options: DevicePluginOptions | undefined,
  step: AllocationStep,
  deviceInfoDir: string | undefined,
): ResultAsync<ContainerAllocation, KubeletError> => {
  const { container, resourceName, count: n, free } = step;
  if (free.length < n) return errAsync(insufficientDevices(resourceName, n, free.length));
  const preferred: ResultAsync<string[], KubeletError> = options?.get_preferred_allocation_available
    ? client
        .getPreferredAllocation({
          container_requests: [{ available_deviceIDs: free, must_include_deviceIDs: [], allocation_size: n }],
        })
        .map((r) => {
          const ids = r.container_responses[0]?.deviceIDs ?? [];
          const good = ids.length === n && new Set(ids).size === n && ids.every((id) => free.includes(id));
          return good ? ids : free.slice(0, n);
        })
    : okAsync(free.slice(0, n));
  return preferred.andThen((ids) =>
    client.allocate({ container_requests: [{ devices_ids: ids }] }).andThen((r) =>
      ResultAsync.fromSafePromise(readInfos(deviceInfoDir, resourceName, ids)).map((deviceInfo) => ({
        container,
        resourceName,
        deviceIds: ids,
        response: r.container_responses[0] ?? EMPTY,
        deviceInfo,
      })),
    ),
  );
};
