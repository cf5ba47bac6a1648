// Which NetworkAttachmentDefinition a Pod NIC uses (§3.3 NAD resolution), for `multusName` filtering.
// The first NIC (`eth0`, or "0" in no-name multi-NIC mode) uses `v1.multus-cni.io/default-network`, else the
// agent's MULTUS_CLUSTER_NETWORK; a namespace-less entry lives in the agent namespace. Other NICs use the
// element of `k8s.v1.cni.cncf.io/networks` whose interface (default `net<idx+1>`) is the NIC name, or whose
// position matches in no-name mode ("1" is the first element); a namespace-less entry is the Pod's namespace.
// Both annotations take Multus's two forms: a JSON list of selection elements, or `ns/name@if, name2`.
import { err, ok, type Result } from 'neverthrow';
import type { Pod } from '../api/index.ts';
import { ANNO_MULTUS_DEFAULT_NETWORK, ANNO_MULTUS_NETWORKS } from '../api/index.ts';
import { arrayOrNull, type Decoded, field, objectOrNull, parseJson, stringField } from './annotationsJson.ts';
import { badAnnotation, type IpamError, missingDefaultNetwork } from './errors.ts';
import type { IpamSettings } from './types.ts';

/** One Multus network selection element (the fields selection needs). */
export interface NetworkSelection {
  namespace: string;
  name: string;
  /** `interface` as requested, "" when not given. */
  interface: string;
}

/** The first NIC of a Pod: `eth0`, or "0" in no-name `ipam.spidernet.io/ippools` mode. */
export const isFirstNic = (nic: string): boolean => nic === 'eth0' || nic === '0';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_IFNAME = 15;

const parseObjectName = (item: string): Decoded<NetworkSelection> => {
  const slash = item.split('/');
  if (slash.length > 2) return { ok: false, detail: `invalid network object ${item} (failed at '/')` };
  const namespace = slash.length === 2 ? (slash[0] ?? '').trim() : '';
  const rest = (slash.length === 2 ? slash[1] : slash[0]) ?? '';
  const at = rest.split('@');
  if (at.length > 2) return { ok: false, detail: `invalid network object ${item} (failed at '@')` };
  const name = (at[0] ?? '').trim();
  const iface = (at[1] ?? '').trim();
  for (const part of [namespace, name]) {
    if (part !== '' && !DNS1123_LABEL.test(part)) {
      return { ok: false, detail: `network object ${item}: ${part} is not a DNS-1123 label` };
    }
  }
  if (iface.length > MAX_IFNAME || /[\s/]/.test(iface)) {
    return { ok: false, detail: `network object ${item}: invalid interface name ${iface}` };
  }
  return { ok: true, value: { namespace, name, interface: iface } };
};

const parseJsonForm = (value: string): Decoded<NetworkSelection[]> => {
  const json = parseJson(value);
  if (!json.ok) return json;
  const arr = arrayOrNull(json.value, 'value');
  if (!arr.ok) return arr;
  const out: NetworkSelection[] = [];
  for (const [i, v] of arr.value.entries()) {
    const obj = objectOrNull(v, `[${i}]`);
    if (!obj.ok) return obj;
    const get = (k: string) => (obj.value === undefined ? undefined : field(obj.value, k));
    const name = stringField(get('name'), `[${i}].name`);
    if (!name.ok) return name;
    const namespace = stringField(get('namespace'), `[${i}].namespace`);
    if (!namespace.ok) return namespace;
    const iface = stringField(get('interface'), `[${i}].interface`);
    if (!iface.ok) return iface;
    out.push({ name: name.value, namespace: namespace.value, interface: iface.value });
  }
  return { ok: true, value: out };
};

/**
 * Multus `ParsePodNetworkAnnotation`: JSON when the text contains `[`, `{` or `"`, else a comma list of
 * `[ns/]name[@ifname]`. Elements without a namespace get `defaultNamespace`. `annotation` names the source.
 */
export const parseNetworkSelections = (
  annotation: string,
  value: string,
  defaultNamespace: string,
): Result<NetworkSelection[], IpamError> => {
  if (value === '') return err(badAnnotation(annotation, value, 'empty network selection'));
  let parsed: Decoded<NetworkSelection[]>;
  if (/[[{"]/.test(value.trim())) parsed = parseJsonForm(value);
  else {
    const out: NetworkSelection[] = [];
    parsed = { ok: true, value: out };
    for (const item of value.split(',')) {
      const one = parseObjectName(item.trim());
      if (!one.ok) {
        parsed = one;
        break;
      }
      out.push(one.value);
    }
  }
  if (!parsed.ok) return err(badAnnotation(annotation, value, parsed.detail));
  return ok(parsed.value.map((n) => (n.namespace === '' ? { ...n, namespace: defaultNamespace } : n)));
};

/**
 * The `<namespace>/<name>` of the NAD behind `ifName`. First NIC: `MissingDefaultNetwork` when neither the
 * default-network annotation nor `settings.multusClusterNetwork` is set. Other NICs: `undefined` when the
 * Pod has no networks annotation or no element for this NIC (then every pool with `multusName` is dropped).
 */
export const resolveNicNetwork = (
  pod: Pod,
  ifName: string,
  settings: IpamSettings,
): Result<string | undefined, IpamError> => {
  const annotations = pod.metadata.annotations ?? {};
  if (isFirstNic(ifName)) {
    const value = annotations[ANNO_MULTUS_DEFAULT_NETWORK] || settings.multusClusterNetwork;
    if (value === undefined || value === '') return err(missingDefaultNetwork(ifName));
    return parseNetworkSelections(ANNO_MULTUS_DEFAULT_NETWORK, value, settings.agentNamespace).andThen(
      (nets) => {
        const first = nets[0];
        if (first === undefined)
          return err(badAnnotation(ANNO_MULTUS_DEFAULT_NETWORK, value, 'empty result'));
        return ok(`${first.namespace}/${first.name}`);
      },
    );
  }
  const value = annotations[ANNO_MULTUS_NETWORKS];
  if (value === undefined || value === '') return ok(undefined);
  const podNamespace = pod.metadata.namespace ?? '';
  return parseNetworkSelections(ANNO_MULTUS_NETWORKS, value, podNamespace).map((nets) => {
    const hit = nets.find((n, idx) => {
      const iface = n.interface === '' ? `net${idx + 1}` : n.interface;
      return ifName === iface || ifName === String(idx + 1);
    });
    return hit === undefined ? undefined : `${hit.namespace}/${hit.name}`;
  });
};

/** A pool `multusName` entry as `<ns>/<name>` (a bare name lives in the agent namespace). */
export const qualifyMultusName = (entry: string, agentNamespace: string): string =>
  entry.includes('/') ? entry : `${agentNamespace}/${entry}`;
