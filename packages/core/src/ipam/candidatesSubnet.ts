// §3.2 step 1: with SpiderSubnet enabled, a Pod annotated `ipam.spidernet.io/subnets` / `subnet` allocates
// from its application's auto-created pool of that subnet (`getPoolFromSubnetAnno` / `findAppAutoPool`):
// the pool whose labels name the subnet, the top controller (gv, kind, namespace, name, and uid when known),
// the NIC and the family. Pools are created and scaled by the auto-pool controller; when none exists yet the
// answer is `AutoPoolNotReady` (Spiderpool waits up to 25 x 2 s for it; the caller may retry). Orphan Pods are
// rejected, and so is the annotation when auto-pools are disabled.
import { err, ok, type Result } from 'neverthrow';
import type { SpiderIPPool } from '../api/index.ts';
import {
  KIND_POD,
  LABEL_IPPOOL_INTERFACE,
  LABEL_IPPOOL_IP_VERSION,
  LABEL_IPPOOL_OWNER_APP_GV,
  LABEL_IPPOOL_OWNER_APP_KIND,
  LABEL_IPPOOL_OWNER_APP_NAME,
  LABEL_IPPOOL_OWNER_APP_NAMESPACE,
  LABEL_IPPOOL_OWNER_APP_UID,
  LABEL_IPPOOL_OWNER_SUBNET,
  LABEL_IPPOOL_RECLAIM,
  LABEL_VALUE_IPV4,
  LABEL_VALUE_IPV6,
} from '../api/index.ts';
import type { IPVersion } from '../ip/index.ts';
import { parsePodSubnetAnnotation } from './annotationsSubnet.ts';
import { autoPoolNotReady, badAnnotation, type IpamError } from './errors.ts';
import { K8S_API_VERSIONS, K8S_KINDS, type TopController } from './topController.ts';
import type { IpamSettings } from './types.ts';

export interface SubnetCandidateInput {
  annotations: Readonly<Record<string, string>> | undefined;
  ifName: string;
  pools: readonly SpiderIPPool[];
  settings: IpamSettings;
  controller: TopController;
}

/** One family's auto-pool names (sorted) for the NIC. */
export interface SubnetVersionPools {
  version: IPVersion;
  names: string[];
}

const gv = (apiVersion: string): string => apiVersion.replace('/', '_');

/** Auto-pools of `subnet` for this application, NIC and family, by name. */
export const findAutoPools = (
  pools: readonly SpiderIPPool[],
  q: { subnet: string; controller: TopController; nic: string; version: IPVersion },
): string[] => {
  const c = q.controller;
  const native = K8S_API_VERSIONS.includes(c.apiVersion) && K8S_KINDS.includes(c.kind);
  const want: Record<string, string> = {
    [LABEL_IPPOOL_OWNER_SUBNET]: q.subnet,
    [LABEL_IPPOOL_OWNER_APP_GV]: gv(c.apiVersion),
    [LABEL_IPPOOL_OWNER_APP_KIND]: c.kind,
    [LABEL_IPPOOL_OWNER_APP_NAMESPACE]: c.namespace,
    [LABEL_IPPOOL_OWNER_APP_NAME]: c.name,
    [LABEL_IPPOOL_INTERFACE]: q.nic,
    [LABEL_IPPOOL_IP_VERSION]: q.version === 4 ? LABEL_VALUE_IPV4 : LABEL_VALUE_IPV6,
  };
  return pools
    .filter((p) => {
      const labels = p.metadata.labels ?? {};
      if (!Object.entries(want).every(([k, v]) => labels[k] === v)) return false;
      if (c.uid === undefined) return true;
      const uid = labels[LABEL_IPPOOL_OWNER_APP_UID];
      // native apps: the pool of this very app; third-party: a kept (non-reclaimed) pool of an earlier app too
      return native ? uid === c.uid : uid === c.uid || labels[LABEL_IPPOOL_RECLAIM] !== 'true';
    })
    .map((p) => p.metadata.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
};

/**
 * The auto-pool candidates of the current NIC, or `undefined` when the rule does not apply (SpiderSubnet
 * disabled, or no subnet annotation). A NIC that `subnets` does not list gets an empty list.
 */
export const subnetCandidates = (
  input: SubnetCandidateInput,
): Result<SubnetVersionPools[] | undefined, IpamError> => {
  if (!input.settings.enableSpiderSubnet) return ok(undefined);
  const parsed = parsePodSubnetAnnotation(input.annotations);
  if (parsed.isErr()) return err(parsed.error);
  const anno = parsed.value;
  if (anno === undefined) return ok(undefined);
  const value = input.annotations?.[anno.annotation] ?? '';
  if (input.settings.enableAutoPoolForApplication === false) {
    return err(badAnnotation(anno.annotation, value, 'auto-created IPPools for applications are disabled'));
  }
  const c = input.controller;
  if (c.kind === KIND_POD && c.apiVersion === 'v1') {
    return err(
      badAnnotation(anno.annotation, value, "SpiderSubnet feature doesn't support no-controller pod"),
    );
  }
  const item = anno.multiple ? anno.items.find((i) => i.interface === input.ifName) : anno.items[0];
  const out: SubnetVersionPools[] = [];
  for (const version of [4, 6] as const) {
    const subnet = version === 4 ? item?.ipv4 : item?.ipv6;
    if (subnet === undefined) continue;
    const names = findAutoPools(input.pools, { subnet, controller: c, nic: input.ifName, version });
    if (names.length === 0) {
      return err(autoPoolNotReady(subnet, input.ifName, version, `${c.kind}/${c.namespace}/${c.name}`));
    }
    out.push({ version, names });
  }
  return ok(out);
};
