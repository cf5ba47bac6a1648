// Fidelity extras of the emulator, kept beside the router: the Spiderpool CRDs served as
// apiextensions.k8s.io/v1 objects (seeded into the store), the system namespaces, extra documents
// (/openapi/v2) and, when asked for, background garbage collection of ownerReference dependents.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '@spiderpool-ts/core';
import { spiderpoolCRDs } from '../crds/spiderpoolCrds.ts';
import { startGarbageCollector } from './garbageCollector.ts';
import { SYSTEM_NAMESPACES } from './namespaceLifecycle.ts';
import { openapiV2Json, openapiV2Protobuf } from './openapiV2.ts';
import type { EmulatorContext } from './requestContext.ts';
import type { ResourceTable } from './resources.ts';

export interface FidelityHooks {
  /** Answers a request the router does not know (true when it did). */
  serve(method: string, url: URL, req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
}

const seed = async (ctx: EmulatorContext, kind: string, objects: readonly KubeObject[]): Promise<void> => {
  if (ctx.store.kinds.lookup(kind).isErr()) return;
  for (const o of objects) {
    const exists = await ctx.store.get({ kind, name: o.metadata.name });
    if (exists.isErr()) await ctx.store.create(o);
  }
};

export const startFidelity = async (
  ctx: EmulatorContext,
  table: ResourceTable,
  options: { garbageCollection: boolean },
): Promise<FidelityHooks> => {
  await seed(ctx, 'CustomResourceDefinition', spiderpoolCRDs() as unknown as KubeObject[]);
  if (ctx.namespaceLifecycle) {
    await seed(
      ctx,
      'Namespace',
      SYSTEM_NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    );
  }
  const gc = options.garbageCollection ? await startGarbageCollector(ctx) : undefined;
  const serve = (method: string, url: URL, req: IncomingMessage, res: ServerResponse): boolean => {
    if (method !== 'GET' || url.pathname !== '/openapi/v2') return false;
    const accept = req.headers.accept ?? '';
    const body = accept.includes('protobuf')
      ? openapiV2Protobuf(table)
      : Buffer.from(JSON.stringify(openapiV2Json(table)));
    const type = accept.includes('protobuf') ? 'application/octet-stream' : 'application/json';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
    return true;
  };
  return { serve, close: () => gc?.close() };
};
