// Multus's network selection annotations on a Pod:
//   k8s.v1.cni.cncf.io/networks      "ns/name@ifname, name2" (comma list) or a JSON list of selection
//                                    elements { name, namespace, interface, ips, mac, default-route, cni-args }
//   v1.multus-cni.io/default-network the network replacing the cluster default (exactly one element)
// Parsed the way Multus's parsePodNetworkAnnotation does: JSON when the text holds `[`, `{` or `"`;
// otherwise comma-separated items, each `[namespace/]name[@interface]`, every part a DNS-1123 label;
// a missing namespace is the Pod's.
import { err, ok, type Result } from 'neverthrow';
import { type ChainError, invalidArgument } from '../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue, parseJson } from '../json.ts';

export const ANNO_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const ANNO_DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
export const ANNO_RESOURCE_NAME = 'k8s.v1.cni.cncf.io/resourceName';

export interface NetworkSelection {
  name: string;
  namespace: string;
  /** Requested interface name (`@ifname` / `interface`). */
  interface?: string;
  ips?: string[];
  mac?: string;
  'default-route'?: string[];
  'cni-args'?: JsonObject;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const fieldError = (annotation: string, raw: string, why: string): ChainError =>
  invalidArgument(`metadata.annotations[${annotation}]`, raw, why);

const strings = (v: JsonValue | undefined): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

const fromItem = (
  item: string,
  podNamespace: string,
  annotation: string,
): Result<NetworkSelection, ChainError> => {
  const slash = item.split('/');
  if (slash.length > 2) return err(fieldError(annotation, item, "more than one '/'"));
  const namespace = slash.length === 2 ? (slash[0] ?? '').trim() : '';
  const at = (slash.length === 2 ? (slash[1] ?? '') : (slash[0] ?? '')).split('@');
  if (at.length > 2) return err(fieldError(annotation, item, "more than one '@'"));
  const name = (at[0] ?? '').trim();
  const ifName = at.length === 2 ? (at[1] ?? '').trim() : '';
  if (name === '') return err(fieldError(annotation, item, 'empty network name'));
  for (const part of [namespace, name, ifName])
    if (part !== '' && !LABEL.test(part))
      return err(fieldError(annotation, item, `${JSON.stringify(part)} is not a lower case DNS-1123 label`));
  const out: NetworkSelection = { name, namespace: namespace === '' ? podNamespace : namespace };
  if (ifName !== '') out.interface = ifName;
  return ok(out);
};

const fromElement = (
  v: JsonValue,
  i: number,
  podNamespace: string,
  annotation: string,
): Result<NetworkSelection, ChainError> => {
  const raw = JSON.stringify(v);
  const bad = (why: string) => err(fieldError(`${annotation}][${i}`, raw, why));
  if (!isJsonObject(v)) return bad('a selection element must be an object');
  const { name, namespace, interface: ifName, ips, mac } = v;
  const route = v['default-route'];
  const cniArgs = v['cni-args'];
  if (typeof name !== 'string' || name === '') return bad('name is required');
  if (namespace !== undefined && typeof namespace !== 'string') return bad('namespace must be a string');
  if (ifName !== undefined && typeof ifName !== 'string') return bad('interface must be a string');
  if (ips !== undefined && !strings(ips)) return bad('ips must be a list of strings');
  if (mac !== undefined && typeof mac !== 'string') return bad('mac must be a string');
  if (route !== undefined && !strings(route)) return bad('default-route must be a list of strings');
  if (cniArgs !== undefined && cniArgs !== null && !isJsonObject(cniArgs))
    return bad('cni-args must be an object');
  const out: NetworkSelection = {
    name,
    namespace: namespace === undefined || namespace === '' ? podNamespace : namespace,
  };
  if (ifName !== undefined && ifName !== '') out.interface = ifName;
  if (ips !== undefined) out.ips = ips;
  if (mac !== undefined && mac !== '') out.mac = mac;
  if (route !== undefined) out['default-route'] = route;
  if (isJsonObject(cniArgs)) out['cni-args'] = cniArgs;
  return ok(out);
};

/** Parses one selection annotation's value. An empty value selects nothing. */
export const parseNetworkSelection = (
  value: string,
  podNamespace: string,
  annotation: string = ANNO_NETWORKS,
): Result<NetworkSelection[], ChainError> => {
  const text = value.trim();
  if (text === '') return ok([]);
  const out: NetworkSelection[] = [];
  if (/[[{"]/.test(text)) {
    const parsed = parseJson(text);
    const items = isJsonObject(parsed) ? [parsed] : parsed;
    if (!Array.isArray(items))
      return err(fieldError(annotation, value, 'not a JSON list of selection elements'));
    for (const [i, v] of items.entries()) {
      const one = fromElement(v as JsonValue, i, podNamespace, annotation);
      if (one.isErr()) return err(one.error);
      out.push(one.value);
    }
    return ok(out);
  }
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const one = fromItem(item.trim(), podNamespace, annotation);
    if (one.isErr()) return err(one.error);
    out.push(one.value);
  }
  return ok(out);
};
