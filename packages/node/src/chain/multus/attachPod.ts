// What kubelet + Multus do for one Pod sandbox, in process: pick the Pod's networks (pickNetworks), then run
// each network's chain with runChain. ADD goes network by network (default first); when one fails, the
// networks already added and the failing one get DEL in reverse order (Multus's unwind), and the ADD error
// is returned. DEL goes in reverse order and carries on past a failing network (the first error is
// returned). The CNI_ARGS are kubelet's: IgnoreUnknown, K8S_POD_NAMESPACE / NAME / INFRA_CONTAINER_ID / UID.
import type { Pod } from '@spiderpool-ts/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { ChainError } from '../errors.ts';
import type { JsonObject } from '../json.ts';
import { type ChainRequest, runChain } from '../runChain.ts';
import { type PickedNetwork, type PickInput, pickNetworks } from './pick.ts';

export interface AttachPodRequest extends PickInput {
  command: 'ADD' | 'DEL' | 'CHECK';
  containerId: string;
  /** The Pod sandbox's netns path (CNI_NETNS). */
  netns: string;
  cniPath: ChainRequest['cniPath'];
  cacheDir?: string;
  deadlineMs?: number;
  hostNetns?: string;
  env?: ChainRequest['env'];
}

export interface PodAttachment {
  network: string;
  ifName: string;
  /** ADD: the chain's final result. */
  result?: JsonObject;
}

/** kubelet's CNI_ARGS for a Pod sandbox. */
export const kubeletCniArgs = (pod: Pod, containerId: string): [string, string][] => [
  ['IgnoreUnknown', '1'],
  ['K8S_POD_NAMESPACE', pod.metadata.namespace ?? 'default'],
  ['K8S_POD_NAME', pod.metadata.name],
  ['K8S_POD_INFRA_CONTAINER_ID', containerId],
  ['K8S_POD_UID', pod.metadata.uid ?? ''],
];

const chainFor = (req: AttachPodRequest, n: PickedNetwork, command: ChainRequest['command']) => {
  const c: ChainRequest = {
    conf: n.conf,
    command,
    containerId: req.containerId,
    netns: req.netns,
    ifName: n.ifName,
    args: kubeletCniArgs(req.pod, req.containerId),
    capabilityArgs: n.capabilityArgs,
    cniPath: req.cniPath,
  };
  if (req.cacheDir !== undefined) c.cacheDir = req.cacheDir;
  if (req.deadlineMs !== undefined) c.deadlineMs = req.deadlineMs;
  if (req.hostNetns !== undefined) c.hostNetns = req.hostNetns;
  if (req.env !== undefined) c.env = req.env;
  return runChain(c);
};

const delAll = async (
  req: AttachPodRequest,
  nets: readonly PickedNetwork[],
): Promise<ChainError | undefined> => {
  let first: ChainError | undefined;
  for (const n of [...nets].reverse()) {
    const r = await chainFor(req, n, 'DEL');
    if (r.isErr() && first === undefined) first = r.error;
  }
  return first;
};

const addAll = async (
  req: AttachPodRequest,
  nets: readonly PickedNetwork[],
): Promise<{ ok: PodAttachment[] } | { err: ChainError }> => {
  const done: PodAttachment[] = [];
  for (const [i, n] of nets.entries()) {
    const r = await chainFor(req, n, 'ADD');
    if (r.isErr()) {
      await delAll(req, nets.slice(0, i + 1));
      return { err: r.error };
    }
    done.push({
      network: n.network,
      ifName: n.ifName,
      ...(r.value.result ? { result: r.value.result } : {}),
    });
  }
  return { ok: done };
};

/** ADD / DEL / CHECK of every network Multus would attach to the Pod. Never rejects. */
export const attachPod = (req: AttachPodRequest): ResultAsync<PodAttachment[], ChainError> => {
  const picked = pickNetworks(req);
  if (picked.isErr()) return errAsync(picked.error);
  const nets = picked.value;
  const list = nets.map((n) => ({ network: n.network, ifName: n.ifName }));
  switch (req.command) {
    case 'ADD':
      return ResultAsync.fromSafePromise(addAll(req, nets)).andThen((r) =>
        'ok' in r ? okAsync(r.ok) : errAsync(r.err),
      );
    case 'DEL':
      return ResultAsync.fromSafePromise(delAll(req, nets)).andThen((e) =>
        e === undefined ? okAsync(list) : errAsync(e),
      );
    case 'CHECK':
      return nets
        .reduce<ResultAsync<void, ChainError>>(
          (acc, n) => acc.andThen(() => chainFor(req, n, 'CHECK').map(() => undefined)),
          okAsync(undefined),
        )
        .map(() => list);
  }
};
