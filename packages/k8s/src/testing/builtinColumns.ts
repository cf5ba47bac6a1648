// Table columns kube-apiserver prints for the built-in kinds kubectl users look at most (its
// pkg/printers/internalversion): Pods (NAME READY STATUS RESTARTS AGE, wide: IP NODE), Namespaces
// (NAME STATUS AGE), CRDs (NAME CREATED-AT), webhook configurations (NAME WEBHOOKS AGE). Other built-in
// kinds print NAME and AGE.
import type { KubeObject } from '@spiderpool-ts/core';
import { humanAge } from './tableOutput.ts';

export interface ComputedColumn {
  name: string;
  type: string;
  description: string;
  priority: number;
  cell(o: KubeObject, now: Date): unknown;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
const field = (o: KubeObject, key: 'spec' | 'status'): Json => rec((o as KubeObject & Json)[key]);

const age: ComputedColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp of the object.',
  priority: 0,
  cell: (o, now) => humanAge(o.metadata.creationTimestamp, now),
};

const podStatus = (o: KubeObject): string => {
  if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const s = field(o, 'status');
  return typeof s.reason === 'string' ? s.reason : typeof s.phase === 'string' ? s.phase : 'Pending';
};

const POD: ComputedColumn[] = [
  {
    name: 'Ready',
    type: 'string',
    description: 'The aggregate readiness state of this pod for accepting traffic.',
    priority: 0,
    cell: (o) => {
      const statuses = list(field(o, 'status').containerStatuses);
      return `${statuses.filter((c) => c.ready === true).length}/${list(field(o, 'spec').containers).length}`;
    },
  },
  {
    name: 'Status',
    type: 'string',
    description: 'The aggregate status of the containers in this pod.',
    priority: 0,
    cell: podStatus,
  },
  {
    name: 'Restarts',
    type: 'string',
    description: 'The number of times the containers in this pod have been restarted.',
    priority: 0,
    cell: (o) =>
      String(
        list(field(o, 'status').containerStatuses).reduce(
          (n, c) => n + (typeof c.restartCount === 'number' ? c.restartCount : 0),
          0,
        ),
      ),
  },
  age,
  {
    name: 'IP',
    type: 'string',
    description: 'The IP address assigned to the pod.',
    priority: 1,
    cell: (o) => {
      const ip = field(o, 'status').podIP;
      return typeof ip === 'string' ? ip : '<none>';
    },
  },
  {
    name: 'Node',
    type: 'string',
    description: 'The name of the node the pod is assigned to.',
    priority: 1,
    cell: (o) => {
      const n = field(o, 'spec').nodeName;
      return typeof n === 'string' ? n : '<none>';
    },
  },
];

const NAMESPACE: ComputedColumn[] = [
  {
    name: 'Status',
    type: 'string',
    description: 'The status of the namespace.',
    priority: 0,
    cell: (o) => {
      if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
      const phase = field(o, 'status').phase;
      return typeof phase === 'string' ? phase : 'Active';
    },
  },
  age,
];

const CRD: ComputedColumn[] = [
  {
    name: 'Created At',
    type: 'date',
    description: 'CreationTimestamp of the object.',
    priority: 0,
    cell: (o) => o.metadata.creationTimestamp ?? null,
  },
];

const WEBHOOK_CONFIG: ComputedColumn[] = [
  {
    name: 'Webhooks',
    type: 'integer',
    description: 'Webhooks indicates the number of webhooks in the configuration.',
    priority: 0,
    cell: (o) => list((o as KubeObject & Json).webhooks).length,
  },
  age,
];

const BY_KIND: Record<string, readonly ComputedColumn[]> = {
  Pod: POD,
  Namespace: NAMESPACE,
  CustomResourceDefinition: CRD,
  MutatingWebhookConfiguration: WEBHOOK_CONFIG,
  ValidatingWebhookConfiguration: WEBHOOK_CONFIG,
};

export const builtinColumns = (kind: string): readonly ComputedColumn[] | undefined => BY_KIND[kind];
