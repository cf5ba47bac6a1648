// What every resource handler of the emulator shares: the emulator's state, the request, and small helpers
// turning store results into HTTP answers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store, StoreError } from '@spiderpool-ts/core';
import type { Result } from 'neverthrow';
import type { Admission } from './apiServerEmulator.ts';
import type { ServedResource } from './resources.ts';
import type { Route } from './routes.ts';
import { type HttpStatus, statusFromStoreError } from './statusBodies.ts';
import type { EventTexts } from './watchHandler.ts';
import type { WebhookDispatchContext } from './webhookDispatch.ts';

export interface EmulatorContext {
  store: Store;
  now: () => Date;
  crdDefaults: boolean;
  crdValidation: boolean;
  /** Ends every open watch stream (registered by serveWatch while a stream is open). */
  watches: Set<() => void>;
  /** Encoded watch events shared by all streams. */
  watchTexts: EventTexts;
  admission?: Admission;
  /** Admission webhooks registered in the store, and how their services are reached. */
  webhooks: WebhookDispatchContext;
  /** Refuse namespaced creates in a Namespace that does not exist (kube's NamespaceLifecycle). */
  namespaceLifecycle: boolean;
}

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  body: string;
  route: Extract<Route, { type: 'resource' }>;
}

export type Answer = HttpStatus | undefined;

export const ok = (code: number, body: unknown): HttpStatus => ({
  code,
  body: body as Record<string, unknown>,
});

export const answer = <T>(r: ServedResource, res: Result<T, StoreError>, code = 200): HttpStatus =>
  res.isOk() ? ok(code, res.value) : statusFromStoreError(r, res.error);

export const parseJson = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

export const refOf = (rr: ResourceRequest) => {
  const { resource, namespace, name } = rr.route;
  return { kind: resource.info.kind, name: name ?? '', ...(namespace ? { namespace } : {}) };
};
