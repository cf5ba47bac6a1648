// The engine as an agent runs it: its own KubernetesStore (its own HTTP connections) against the API
// server, and with `informers` the cached store of core's createEngineStore over the node informer set
// (pools, reserved IPs, Namespaces, Nodes, Pods from watches; SpiderEndpoints by GET, ADR 0034); without, every read goes to the
// API server.
import { createEngineStore, createIpamEngine, type IpamEngine, type Store } from '@spiderpool-ts/core';
import { createKubernetesStore, createNodeInformerSet } from '@spiderpool-ts/k8s';
import type { kubeConfigFor } from '@spiderpool-ts/k8s/testing';
import type { AddOutcome, StormAgent } from './driver.ts';
import { STORM_NAMESPACE, type StormPod } from './world.ts';

export interface EngineAgent extends StormAgent {
  readonly engine: IpamEngine;
  stop(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const startEngineAgent = async (o: {
  kubeConfig: ReturnType<typeof kubeConfigFor>;
  nodeName: string;
  informers: boolean;
  random: () => number;
}): Promise<EngineAgent> => {
  const ks = createKubernetesStore({ kubeConfig: o.kubeConfig })._unsafeUnwrap();
  let store: Store = ks;
  let stop = (): void => {};
  if (o.informers) {
    const informers = createNodeInformerSet(ks);
    store = createEngineStore(ks, informers);
    const started = await informers.start();
    if (started.isErr()) throw new Error(`informers of ${o.nodeName}: ${started.error.message}`);
    stop = () => informers.stop();
  }
  const engine = createIpamEngine({ store, nodeName: o.nodeName, sleep, random: o.random });
  const add = async (p: StormPod): Promise<AddOutcome> => {
    const r = await engine.allocate({
      podNamespace: STORM_NAMESPACE,
      podName: p.name,
      containerID: p.name,
      ifName: 'eth0',
      ipamConfig: {},
    });
    if (r.isOk()) return { ok: true };
    const tag = r.error._tag === 'Store' ? `Store/${r.error.cause._tag}` : r.error._tag;
    // kubelet runs a failed sandbox setup again; only a verdict about the Pod or pools is final.
    const retryable = r.error._tag === 'RetriesExhausted' || r.error._tag === 'Store';
    return { ok: false, tag, message: r.error.message, retryable };
  };
  return {
    engine,
    add,
    stop: () => {
      engine.dispose();
      stop();
    },
  };
};
