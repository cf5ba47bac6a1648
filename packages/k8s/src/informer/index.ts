// informer/: real-time bindings of core's informers (list + watch caches over the Store port).
export { createNodeInformerSet, nodeInformerTiming, nodeSleep } from './nodeTiming.ts';
