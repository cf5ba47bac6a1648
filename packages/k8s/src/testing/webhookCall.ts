// One call of a registered webhook, as kube-apiserver makes it: POST `<url>?timeout=<n>s` with an
// AdmissionReview, trusting only the caBundle, aborted at timeoutSeconds; the answer must be a 200
// AdmissionReview whose response.uid is the request's.
import { request as httpsRequest } from 'node:https';

export interface WebhookAnswer {
  uid: string;
  allowed: boolean;
  status?: { code?: number; message?: string; reason?: string };
  patchType?: string;
  patch?: string;
  warnings?: string[];
}

export type CallOutcome = { ok: true; response: WebhookAnswer } | { ok: false; error: string };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const readAnswer = (status: number, text: string, uid: string): CallOutcome => {
  if (status !== 200)
    return { ok: false, error: `expected response code 200, got ${status}: ${text.slice(0, 200)}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `the answer is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isRecord(body) || body.kind !== 'AdmissionReview' || !isRecord(body.response)) {
    return { ok: false, error: 'the answer is not an AdmissionReview with a response' };
  }
  const r = body.response;
  if (r.uid !== uid) return { ok: false, error: `expected response.uid="${uid}", got "${String(r.uid)}"` };
  if (typeof r.allowed !== 'boolean') return { ok: false, error: 'response.allowed must be a boolean' };
  const s = isRecord(r.status) ? r.status : undefined;
  return {
    ok: true,
    response: {
      uid,
      allowed: r.allowed,
      ...(s
        ? {
            status: {
              ...(typeof s.code === 'number' ? { code: s.code } : {}),
              ...(typeof s.message === 'string' ? { message: s.message } : {}),
              ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
            },
          }
        : {}),
      ...(typeof r.patchType === 'string' ? { patchType: r.patchType } : {}),
      ...(typeof r.patch === 'string' ? { patch: r.patch } : {}),
    },
  };
};

/** POSTs the review; never rejects. */
export const callWebhook = (
  url: string,
  review: { request: { uid: string } },
  opts: { ca: string | undefined; timeoutSeconds: number },
): Promise<CallOutcome> =>
  new Promise((resolve) => {
    const target = new URL(url);
    target.searchParams.set('timeout', `${opts.timeoutSeconds}s`);
    const body = JSON.stringify(review);
    let settled = false;
    const done = (o: CallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = httpsRequest(
      target,
      {
        method: 'POST',
        ...(opts.ca ? { ca: opts.ca } : {}),
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done(readAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), review.request.uid)),
        );
        res.on('error', (e) => done({ ok: false, error: e.message }));
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, error: 'context deadline exceeded' });
      req.destroy();
    }, opts.timeoutSeconds * 1000);
    req.on('error', (e) => done({ ok: false, error: e.message }));
    req.end(body);
  });
