// One AdmissionReview, answered: the object is checked against the kind's CRD schema (what controller-runtime's
// decoding into Go types guarantees Spiderpool), then mutated (the answer carries the base64 JSONPatch from
// the request object to the defaulted one) or validated (field errors become the denial Status).
import type { KubeObject } from '@spiderpool-ts/core';
import { okAsync, type ResultAsync } from 'neverthrow';
import type { JSONSchemaProps } from '../crds/schema.ts';
import { schemaCauses } from '../crds/schemaValidation.ts';
import { spiderpoolCRDs } from '../crds/spiderpoolCrds.ts';
import type { AdmissionRequest, AdmissionResponse } from './admissionReview.ts';
import type { ClusterReads } from './clusterReads.ts';
import { jsonPatchDiff } from './jsonPatchDiff.ts';
import { type Denial, denialOf } from './kindWebhooks.ts';
import type { PathRoute } from './webhookPaths.ts';

const schemas: ReadonlyMap<string, JSONSchemaProps> = new Map(
  spiderpoolCRDs().flatMap((c) => {
    const s = c.spec.versions[0]?.schema.openAPIV3Schema;
    return s ? [[c.spec.names.kind, s] as const] : [];
  }),
);

const denied = (uid: string, status: Denial): AdmissionResponse => ({ uid, allowed: false, status });

/** A review object that does not decode into the kind's type: 400, as controller-runtime answers. */
const undecodable = (kind: string, o: KubeObject | undefined): Denial | undefined => {
  const schema = schemas.get(kind);
  if (!schema || !o) return undefined;
  const causes = schemaCauses(schema, o);
  if (causes.length === 0) return undefined;
  return {
    code: 400,
    reason: 'BadRequest',
    message: `cannot decode ${kind}: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
  };
};

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export const handleReview = (
  route: PathRoute,
  request: AdmissionRequest,
  reads: ClusterReads,
): ResultAsync<AdmissionResponse, never> => {
  const { uid, operation } = request;
  const w = route.webhook;
  if (request.kind.kind !== w.kind || request.kind.group !== w.group) {
    return okAsync(
      denied(uid, {
        code: 400,
        reason: 'BadRequest',
        message: `this path admits ${w.kind}, the review is for ${request.kind.kind}`,
      }),
    );
  }
  const bad = undecodable(w.kind, request.object) ?? undecodable(w.kind, request.oldObject);
  if (bad) return okAsync(denied(uid, bad));
  const answer = (r: ResultAsync<AdmissionResponse, Denial>) =>
    r.orElse((d) => okAsync<AdmissionResponse, never>(denied(uid, d)));
  if (route.mode === 'mutate') {
    const object = request.object;
    if (!w.mutate || !object || (operation !== 'CREATE' && operation !== 'UPDATE')) {
      return okAsync({ uid, allowed: true });
    }
    return answer(
      w.mutate(object, reads).map((mutated): AdmissionResponse => {
        const ops = jsonPatchDiff(
          object as unknown as Record<string, unknown>,
          mutated as unknown as Record<string, unknown>,
        );
        if (ops.length === 0) return { uid, allowed: true };
        return { uid, allowed: true, patchType: 'JSONPatch', patch: base64(JSON.stringify(ops)) };
      }),
    );
  }
  if (!w.validate || operation === 'CONNECT') return okAsync({ uid, allowed: true });
  const target = request.object ?? request.oldObject;
  const name = target?.metadata.name ?? request.name ?? '';
  return answer(
    w
      .validate(operation, { object: request.object, old: request.oldObject }, reads)
      .map(
        (errors): AdmissionResponse =>
          errors.length === 0
            ? { uid, allowed: true }
            : denied(uid, denialOf(w.kind, w.resource, name, errors)),
      ),
  );
};
