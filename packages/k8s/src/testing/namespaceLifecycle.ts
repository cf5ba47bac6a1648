// kube-apiserver's NamespaceLifecycle admission, when the emulator is asked for it: a namespaced object can
// only be created in a Namespace that exists and is not being deleted (404 / 403 otherwise).
import type { EmulatorContext } from './requestContext.ts';
import type { ServedResource } from './resources.ts';
import { type HttpStatus, statusBody } from './statusBodies.ts';

/** Namespaces kube-apiserver creates itself. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export const namespaceMissing = async (
  ctx: EmulatorContext,
  r: ServedResource,
  namespace: string | undefined,
): Promise<HttpStatus | undefined> => {
  if (!ctx.namespaceLifecycle || !r.info.namespaced || !namespace) return undefined;
  if (ctx.store.kinds.lookup('Namespace').isErr()) return undefined;
  const ns = await ctx.store.get({ kind: 'Namespace', name: namespace });
  if (ns.isErr()) {
    return statusBody(404, 'NotFound', `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: 'namespaces',
    });
  }
  if (ns.value.metadata.deletionTimestamp !== undefined) {
    return statusBody(
      403,
      'Forbidden',
      `${r.info.plural} "" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
  return undefined;
};
