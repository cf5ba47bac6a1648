// The coordinator's side of the agent protocol: `GET /v1/coordinator/config` (Spiderpool's agent openapi,
// `CoordinatorConfig` model). The plugin names the Pod with `podNamespace` / `podName` query parameters (a JSON
// body `{ podNamespace, podName }` as Spiderpool's swagger client sends it is accepted too) and says the CNI
// command in the `X-Spiderpool-CNI-Command` header: on DEL a Pod that is gone is not an error. Shared by both
// sides; neverthrow only, so the plugin process stays small.
import { err, ok, type Result } from 'neverthrow';
import { isObject } from '../json/checks.ts';

export const COORDINATOR_CONFIG_PATH = '/v1/coordinator/config';
export const CNI_COMMAND_HEADER = 'x-spiderpool-cni-command';

/** The agent's answer: SpiderCoordinator `default` (spec + status) and the Pod's default-route-nic annotation. */
export interface CoordinatorConfigAnswer {
  mode: string;
  overlayPodCIDR: string[];
  serviceCIDR: string[];
  hijackCIDR: string[];
  policyRoutes: { dst: string; gw: string }[];
  podMACPrefix: string;
  tunePodRoutes: boolean;
  /** From the Pod annotation `ipam.spidernet.io/default-route-nic` when set (not on DEL), else the spec. */
  podDefaultRouteNIC: string;
  hostRuleTable: number;
  podRPFilter: number;
  txQueueLen: number;
  vethLinkAddress: string;
  vethMTU: number;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Checks the agent's answer on the plugin side; the error is a one-line reason. */
export const decodeCoordinatorConfig = (body: unknown): Result<CoordinatorConfigAnswer, string> => {
  if (!isObject(body)) return err('coordinator config is not a JSON object');
  const strings = (k: string): string[] | undefined => {
    const v = body[k];
    return v === undefined || v === null ? [] : isStrings(v) ? v : undefined;
  };
  const str = (k: string): string | undefined => {
    const v = body[k];
    return v === undefined || v === null ? '' : typeof v === 'string' ? v : undefined;
  };
  const int = (k: string, dflt: number): number | undefined => {
    const v = body[k];
    return v === undefined || v === null ? dflt : isInt(v) ? v : undefined;
  };
  if (typeof body.mode !== 'string') return err('coordinator config: mode must be a string');
  if (body.tunePodRoutes !== undefined && typeof body.tunePodRoutes !== 'boolean')
    return err('coordinator config: tunePodRoutes must be a boolean');
  const policy = body.policyRoutes ?? [];
  if (!Array.isArray(policy) || !policy.every((r) => isObject(r) && typeof r.dst === 'string'))
    return err('coordinator config: policyRoutes must be a list of { dst, gw }');
  const out = {
    mode: body.mode,
    overlayPodCIDR: strings('overlayPodCIDR'),
    serviceCIDR: strings('serviceCIDR'),
    hijackCIDR: strings('hijackCIDR'),
    policyRoutes: (policy as Record<string, unknown>[]).map((r) => ({
      dst: String(r.dst),
      gw: typeof r.gw === 'string' ? r.gw : '',
    })),
    podMACPrefix: str('podMACPrefix'),
    tunePodRoutes: body.tunePodRoutes === true,
    podDefaultRouteNIC: str('podDefaultRouteNIC'),
    hostRuleTable: int('hostRuleTable', 500),
    podRPFilter: int('podRPFilter', 0),
    txQueueLen: int('txQueueLen', 0),
    vethLinkAddress: str('vethLinkAddress'),
    vethMTU: int('vethMTU', 1500),
  };
  for (const [k, v] of Object.entries(out))
    if (v === undefined) return err(`coordinator config: ${k} has the wrong type`);
  return ok(out as CoordinatorConfigAnswer);
};
