// Multus's choice of networks for a Pod, without the API server: given the Pod and a set of
// NetworkAttachmentDefinitions, which configs run, under which interface names, with what runtimeConfig.
//   - the default network (eth0, or the runtime's ifName): the Pod's `v1.multus-cni.io/default-network`
//     (exactly one element), else the caller's cluster network;
//   - then each element of `k8s.v1.cni.cncf.io/networks` in order, named by its `@ifname` / `interface`,
//     else `net<i>` where i is its position among all attachments (so the first extra one is net1);
//   - a NAD with `k8s.v1.cni.cncf.io/resourceName` takes the next of the Pod's devices of that resource (what
//     kubelet's device manager allocated; given by the caller): `deviceID` and `pciBusID` are written into
//     every plugin of its config and `deviceID` is offered as a capability arg, as Multus does;
//   - the element's `ips` / `mac` become capability args (reaching plugins that declare them), its
//     `cni-args` go to every plugin's `args.cni`.
import type { NetworkAttachmentDefinition, Pod } from '@spiderpool-ts/core';
import { err, ok, type Result } from 'neverthrow';
import { type ChainError, invalidArgument } from '../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue, parseJson } from '../json.ts';
import {
  ANNO_DEFAULT_NETWORK,
  ANNO_NETWORKS,
  ANNO_RESOURCE_NAME,
  type NetworkSelection,
  parseNetworkSelection,
} from './selection.ts';

export interface PickInput {
  pod: Pod;
  nads: readonly NetworkAttachmentDefinition[];
  /** Multus's `clusterNetwork` (`ns/name`), used when the Pod has no default-network annotation. */
  clusterNetwork?: string;
  /** The runtime's interface name for the default network; default eth0. */
  defaultIfName?: string;
  /** resourceName → the device IDs (VF PCI addresses) allocated to this Pod, in allocation order. */
  allocatedDevices?: Readonly<Record<string, readonly string[]>>;
  /** Node-local edits to each plugin conf (e.g. this node's agent socket), applied after Multus's own. */
  patchPlugin?: (plugin: JsonObject, network: PickedNetwork) => JsonObject;
}

export interface PickedNetwork {
  /** `namespace/name` of the NAD. */
  network: string;
  nad: NetworkAttachmentDefinition;
  selection: NetworkSelection;
  ifName: string;
  isDefault: boolean;
  /** The config to run (conflist or single conf) with Multus's injections. */
  conf: JsonObject;
  capabilityArgs: Record<string, JsonValue>;
  resourceName?: string;
  deviceID?: string;
}

const keyOf = (ns: string, name: string) => `${ns}/${name}`;

/** Applies `f` to every plugin of a conflist, or to the single conf. */
const eachPlugin = (conf: JsonObject, f: (p: JsonObject) => JsonObject): JsonObject => {
  const plugins = conf.plugins;
  if (!Array.isArray(plugins)) return f(conf);
  return { ...conf, plugins: plugins.map((p) => (isJsonObject(p) ? f(p) : p)) };
};

const withCniArgs = (p: JsonObject, cniArgs: JsonObject): JsonObject => {
  const args = isJsonObject(p.args) ? p.args : {};
  const cni = isJsonObject(args.cni) ? args.cni : {};
  return { ...p, args: { ...args, cni: { ...cni, ...cniArgs } } };
};

const configOf = (nad: NetworkAttachmentDefinition, network: string): Result<JsonObject, ChainError> => {
  const conf = parseJson(nad.spec?.config ?? '');
  return isJsonObject(conf)
    ? ok(conf)
    : err(
        invalidArgument(
          `NetworkAttachmentDefinition ${network} spec.config`,
          nad.spec?.config ?? '',
          'not a JSON object',
        ),
      );
};

/** The attachments Multus would make for this Pod, in ADD order. */
export const pickNetworks = (input: PickInput): Result<PickedNetwork[], ChainError> => {
  const podNs = input.pod.metadata.namespace ?? 'default';
  const annotations = input.pod.metadata.annotations ?? {};
  const byKey = new Map(
    input.nads.map((n) => [keyOf(n.metadata.namespace ?? 'default', n.metadata.name), n]),
  );

  const defaultRaw = annotations[ANNO_DEFAULT_NETWORK] ?? input.clusterNetwork;
  if (defaultRaw === undefined)
    return err(
      invalidArgument(
        `metadata.annotations[${ANNO_DEFAULT_NETWORK}]`,
        '',
        'no default network and no clusterNetwork',
      ),
    );
  const defaults = parseNetworkSelection(defaultRaw, podNs, ANNO_DEFAULT_NETWORK);
  if (defaults.isErr()) return err(defaults.error);
  if (defaults.value.length !== 1)
    return err(
      invalidArgument(
        `metadata.annotations[${ANNO_DEFAULT_NETWORK}]`,
        defaultRaw,
        'exactly one default network is required',
      ),
    );
  const extra = parseNetworkSelection(annotations[ANNO_NETWORKS] ?? '', podNs, ANNO_NETWORKS);
  if (extra.isErr()) return err(extra.error);

  const used = new Map<string, number>();
  const names = new Set<string>();
  const out: PickedNetwork[] = [];
  for (const [i, selection] of [...defaults.value, ...extra.value].entries()) {
    const isDefault = i === 0;
    const network = keyOf(selection.namespace, selection.name);
    const nad = byKey.get(network);
    if (nad === undefined)
      return err(
        invalidArgument(
          isDefault ? ANNO_DEFAULT_NETWORK : ANNO_NETWORKS,
          network,
          'no such NetworkAttachmentDefinition',
        ),
      );
    const ifName = isDefault ? (input.defaultIfName ?? 'eth0') : (selection.interface ?? `net${i}`);
    if (names.has(ifName))
      return err(
        invalidArgument('interface', ifName, `used twice in Pod ${podNs}/${input.pod.metadata.name}`),
      );
    names.add(ifName);
    const base = configOf(nad, network);
    if (base.isErr()) return err(base.error);
    let conf = base.value;
    const capabilityArgs: Record<string, JsonValue> = {};
    if (selection.ips !== undefined) capabilityArgs.ips = selection.ips;
    if (selection.mac !== undefined) capabilityArgs.mac = selection.mac;
    const picked: PickedNetwork = { network, nad, selection, ifName, isDefault, conf, capabilityArgs };
    const resourceName = nad.metadata.annotations?.[ANNO_RESOURCE_NAME];
    if (resourceName !== undefined && resourceName !== '') {
      const n = used.get(resourceName) ?? 0;
      const deviceID = input.allocatedDevices?.[resourceName]?.[n];
      if (deviceID === undefined)
        return err(
          invalidArgument(
            'allocatedDevices',
            resourceName,
            `no device #${n} of ${resourceName} allocated to the Pod (network ${network})`,
          ),
        );
      used.set(resourceName, n + 1);
      conf = eachPlugin(conf, (p) => ({ ...p, deviceID, pciBusID: deviceID }));
      capabilityArgs.deviceID = deviceID;
      picked.resourceName = resourceName;
      picked.deviceID = deviceID;
    }
    const cniArgs = selection['cni-args'];
    if (cniArgs !== undefined) conf = eachPlugin(conf, (p) => withCniArgs(p, cniArgs));
    const patch = input.patchPlugin;
    if (patch !== undefined) conf = eachPlugin(conf, (p) => patch(p, picked));
    picked.conf = conf;
    out.push(picked);
  }
  return ok(out);
};
