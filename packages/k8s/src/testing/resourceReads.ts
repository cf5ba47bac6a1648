// GET on a resource path: one object, a list (label and field selectors), a watch stream, or their Table.
import type { LabelSelector } from '@spiderpool-ts/core';
import { parseLabelSelector } from '../kube/labelSelectorText.ts';
import { parseFieldSelector } from './fieldSelector.ts';
import {
  type Answer,
  answer,
  type EmulatorContext,
  ok,
  type ResourceRequest,
  refOf,
} from './requestContext.ts';
import { badRequest, statusFromStoreError } from './statusBodies.ts';
import { type IncludeObject, toTable, wantsTable } from './tableOutput.ts';
import { serveWatch } from './watchHandler.ts';

const tableOptions = (ctx: EmulatorContext, rr: ResourceRequest, resourceVersion: string) => ({
  resourceVersion,
  includeObject: (rr.url.searchParams.get('includeObject') ?? 'PartialObjectMetadata') as IncludeObject,
  now: ctx.now(),
});

export const objectGet = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const got = await ctx.store.get(refOf(rr));
  if (got.isErr() || !wantsTable(rr.req.headers.accept)) return answer(r, got);
  return ok(200, toTable(r, [got.value], tableOptions(ctx, rr, got.value.metadata.resourceVersion ?? '')));
};

export const collectionGet = async (ctx: EmulatorContext, rr: ResourceRequest): Promise<Answer> => {
  const r = rr.route.resource;
  const q = rr.url.searchParams;
  let labelSelector: LabelSelector | undefined;
  const selText = q.get('labelSelector');
  if (selText) {
    const parsed = parseLabelSelector(selText);
    if (parsed.isErr()) return badRequest(`unable to parse requirement: ${parsed.error}`);
    labelSelector = parsed.value;
  }
  const fields = parseFieldSelector(q.get('fieldSelector'));
  if (fields.isErr()) return badRequest(fields.error);
  const namespace = rr.route.namespace;
  const watch = q.get('watch');
  if (watch === 'true' || watch === '1') {
    const rv = q.get('resourceVersion') ?? undefined;
    const timeout = q.get('timeoutSeconds');
    return serveWatch(ctx.store, ctx.watches, rr.req, rr.res, {
      resource: r,
      namespace,
      resourceVersion: rv === '' ? undefined : rv,
      labelSelector,
      fieldFilter: fields.value,
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      texts: ctx.watchTexts,
      ...(wantsTable(rr.req.headers.accept)
        ? { present: (o) => toTable(r, [o], tableOptions(ctx, rr, o.metadata.resourceVersion ?? '')) }
        : {}),
    });
  }
  const listed = await ctx.store.list(r.info.kind, {
    ...(namespace ? { namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
  });
  if (listed.isErr()) return statusFromStoreError(r, listed.error);
  const items = listed.value.items.filter(fields.value);
  const rv = listed.value.resourceVersion;
  if (wantsTable(rr.req.headers.accept)) return ok(200, toTable(r, items, tableOptions(ctx, rr, rv)));
  return ok(200, {
    kind: `${r.info.kind}List`,
    apiVersion: r.info.apiVersion,
    metadata: { resourceVersion: rv },
    items,
  });
};

/** The body as an object of this resource, with the namespace of the path (a different one is refused). */
