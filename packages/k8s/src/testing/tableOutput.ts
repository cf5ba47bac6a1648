// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: the meta.k8s.io/v1 Table the API server builds
// for kubectl get. Custom resources use their CRD's additionalPrinterColumns after NAME (AGE only when a CRD
// has none, as Spiderpool's `kubectl get sp` shows); other kinds print NAME and AGE.
import type { KubeObject } from '@spiderpool-ts/core';
import type { PrinterColumn } from '../crds/spiderpoolCrds.ts';
import { builtinColumns, type ComputedColumn } from './builtinColumns.ts';
import type { ServedResource } from './resources.ts';

/** True when the Accept header asks for a meta.k8s.io Table first. */
export const wantsTable = (accept: string | undefined): boolean => {
  const first = (accept ?? '').split(',')[0] ?? '';
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
};

/** Tokens of the simple JSONPath forms printer columns use: `.a.b[0].c`, `.a['x\.y']`. */
const pathTokens = (jsonPath: string): (string | number)[] => {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/g;
  for (let m = re.exec(jsonPath); m !== null; m = re.exec(jsonPath)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return out;
};

export const evalJsonPath = (object: unknown, jsonPath: string): unknown => {
  let cur: unknown = object;
  for (const t of pathTokens(jsonPath)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[t];
  }
  return cur;
};

/** Age as kubectl prints it (`45s`, `12m`, `5h`, `3d`). */
export const humanAge = (since: string | undefined, now: Date): string | null => {
  if (!since) return null;
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
};

const cell = (column: PrinterColumn, object: KubeObject, now: Date): unknown => {
  const v = evalJsonPath(object, column.jsonPath);
  if (v === undefined || v === null) return null;
  switch (column.type) {
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' ? humanAge(v, now) : null;
    default:
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
};

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp of the object.',
};

export type IncludeObject = 'None' | 'Object' | 'PartialObjectMetadata';

const rowObject = (o: KubeObject, include: IncludeObject): unknown => {
  if (include === 'Object') return o;
  if (include === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
};

export const toTable = (
  resource: ServedResource,
  objects: readonly KubeObject[],
  options: { resourceVersion: string; includeObject: IncludeObject; now: Date },
) => {
  const computed = builtinColumns(resource.info.kind);
  if (computed) return computedTable(computed, objects, options);
  const columns = resource.columns.length > 0 ? resource.columns : [AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: [
      NAME_COLUMN,
      ...columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: '',
        description: c.description,
        priority: c.priority ?? 0,
      })),
    ],
    rows: objects.map((o) => {
      const object = rowObject(o, options.includeObject);
      return {
        cells: [o.metadata.name, ...columns.map((c) => cell(c, o, options.now))],
        ...(object === undefined ? {} : { object }),
      };
    }),
  };
};

const computedTable = (
  columns: readonly ComputedColumn[],
  objects: readonly KubeObject[],
  options: { resourceVersion: string; includeObject: IncludeObject; now: Date },
) => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { resourceVersion: options.resourceVersion },
  columnDefinitions: [
    NAME_COLUMN,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: '',
      description: c.description,
      priority: c.priority,
    })),
  ],
  rows: objects.map((o) => {
    const object = rowObject(o, options.includeObject);
    return {
      cells: [o.metadata.name, ...columns.map((c) => c.cell(o, options.now))],
      ...(object === undefined ? {} : { object }),
    };
  }),
});
