// The emulator over plain HTTP: discovery, Table output, merge and JSON patch (test op as CAS), Status
// error bodies, PUT rules, DELETE with finalizers, and watch streams (events, 410 Expired).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

const SP = '/apis/spiderpool.spidernet.io/v2beta1';
let emu: ApiServerEmulator;

beforeAll(async () => {
  emu = await startApiServerEmulator({ historyLimit: 8 });
});
afterAll(async () => {
  await emu.close();
});

/** The JSON answers these tests read (discovery, objects, lists, Status, Table, watch events), loosely typed. */
interface Obj {
  kind?: string;
  type?: string;
  object: Obj;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: unknown;
  reason?: string;
  message?: string;
  code?: number;
  minor?: string;
  versions?: string[];
  groups: { name: string }[];
  resources: { name: string }[];
  items: Obj[];
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: unknown[]; object: Obj }[];
}

interface Answer {
  status: number;
  body: Obj;
}

const call = async (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> => {
  const res = await fetch(emu.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Obj };
};

const pool = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.20.0.0/16', ips: ['10.20.0.10-10.20.0.19'], ...spec },
});

/** Reads newline-delimited watch events until `n` arrived (or the stream ended). */
const readEvents = async (path: string, n: number): Promise<Obj[]> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  const res = await fetch(emu.url + path, { signal: controller.signal });
  const reader = res.body?.getReader();
  const events: Obj[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  while (reader && events.length < n) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      events.push(JSON.parse(buffer.slice(0, nl)) as Obj);
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  }
  clearTimeout(timer);
  controller.abort();
  return events;
};

describe('discovery', () => {
  it('serves /version, /api, /apis and the resource lists with short names, categories and status', async () => {
    expect((await call('GET', '/version')).body.minor).toBe('32');
    expect((await call('GET', '/api')).body.versions).toEqual(['v1']);
    const groups = (await call('GET', '/apis')).body.groups.map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['spiderpool.spidernet.io', 'k8s.cni.cncf.io', 'apps']));
    const list = (await call('GET', SP)).body;
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    expect(byName.get('spiderippools')).toMatchObject({
      kind: 'SpiderIPPool',
      namespaced: false,
      shortNames: ['sp'],
      categories: ['spiderpool'],
      verbs: expect.arrayContaining(['get', 'list', 'watch', 'patch']),
    });
    expect(byName.get('spiderendpoints')).toMatchObject({ namespaced: true, shortNames: ['se'] });
    expect(byName.has('spiderippools/status')).toBe(true);
    expect(byName.has('spiderendpoints/status')).toBe(false);
    const core = (await call('GET', '/api/v1')).body.resources.map((r) => r.name);
    expect(core).toEqual(expect.arrayContaining(['pods', 'namespaces', 'nodes', 'pods/status']));
    expect((await call('GET', '/apis/nope.io/v1')).status).toBe(404);
  });
});

describe('objects', () => {
  it('create, AlreadyExists, PUT CAS Conflict, missing resourceVersion, NotFound as Status bodies', async () => {
    const created = await call('POST', `${SP}/spiderippools`, pool('e-crud'));
    expect(created.status).toBe(201);
    expect(created.body.spec.default).toBe(false); // CRD default
    const again = await call('POST', `${SP}/spiderippools`, pool('e-crud'));
    expect(again).toMatchObject({
      status: 409,
      body: { kind: 'Status', reason: 'AlreadyExists', code: 409 },
    });
    const put = await call('PUT', `${SP}/spiderippools/e-crud`, {
      ...created.body,
      spec: { subnet: '10.20.0.0/16' },
    });
    expect(put.status).toBe(200);
    const stale = await call('PUT', `${SP}/spiderippools/e-crud`, created.body);
    expect(stale).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    expect(stale.body.message).toContain('the object has been modified');
    const { resourceVersion: _rv, ...meta } = created.body.metadata;
    const blind = await call('PUT', `${SP}/spiderippools/e-crud`, { ...created.body, metadata: meta });
    expect(blind).toMatchObject({ status: 422, body: { reason: 'Invalid' } });
    const missing = await call('GET', `${SP}/spiderippools/e-missing`);
    expect(missing).toMatchObject({
      status: 404,
      body: { reason: 'NotFound', details: { name: 'e-missing' } },
    });
    expect(missing.body.message).toBe('spiderippools.spiderpool.spidernet.io "e-missing" not found');
  });

  it('validates Spiderpool kinds against the CRD schema (422 with field errors)', async () => {
    const bad = await call(
      'POST',
      `${SP}/spiderippools`,
      pool('e-schema', { multusName: 'kube-system/sriov-test' }),
    );
    expect(bad).toMatchObject({ status: 422, body: { reason: 'Invalid', details: { name: 'e-schema' } } });
    expect(bad.body.message).toBe(
      'SpiderIPPool.spiderpool.spidernet.io "e-schema" is invalid: spec.multusName: Invalid value: "string": spec.multusName in body must be of type array: "string"',
    );
  });

  it('refuses names that are not DNS-1123 (subdomain; label for Namespaces) with 422 on metadata.name', async () => {
    const bad = await call('POST', `${SP}/spiderippools`, pool('Bad_Pool'));
    expect(bad).toMatchObject({ status: 422, body: { kind: 'Status', reason: 'Invalid', code: 422 } });
    expect(bad.body.message).toMatch(
      /^SpiderIPPool\.spiderpool\.spidernet\.io "Bad_Pool" is invalid: metadata\.name: Invalid value: "Bad_Pool": a lowercase RFC 1123 subdomain/,
    );
    expect((await call('GET', `${SP}/spiderippools/Bad_Pool`)).status).toBe(404);
    expect((await call('POST', `${SP}/spiderippools`, pool(`p${'.a'.repeat(10)}`))).status).toBe(201);
    const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect((await call('POST', '/api/v1/namespaces', ns('a.b'))).status).toBe(422);
    const long = await call('POST', '/api/v1/namespaces', ns('n'.repeat(64)));
    expect(long.body.message).toContain('must be no more than 63 characters');
    expect((await call('POST', '/api/v1/namespaces', ns('n'.repeat(63)))).status).toBe(201);
  });

  it('answers server-side dry runs with the object as it would be stored, and stores nothing', async () => {
    const r = await call('POST', `${SP}/spiderippools?dryRun=All`, pool('e-dry'));
    expect(r).toMatchObject({ status: 201, body: { metadata: { name: 'e-dry' }, spec: { default: false } } });
    expect(r.body.metadata.uid).toBeTruthy();
    expect(r.body.metadata.resourceVersion).toBeUndefined();
    expect((await call('GET', `${SP}/spiderippools/e-dry`)).status).toBe(404);
    expect((await call('POST', `${SP}/spiderippools?dryRun=Some`, pool('e-dry'))).status).toBe(400);
  });

  it('core kinds are named without a group in Invalid messages (`Pod "x"`, not `Pod.core "x"`)', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'e-rv-pod', namespace: 'default', resourceVersion: '5' },
    };
    const r = await call('POST', '/api/v1/namespaces/default/pods', pod);
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/^Pod "e-rv-pod" is invalid: /);
  });

  it('status subresource: PUT /status writes only status', async () => {
    const created = (await call('POST', `${SP}/spiderippools`, pool('e-status'))).body;
    const res = await call('PUT', `${SP}/spiderippools/e-status/status`, {
      ...created,
      spec: { subnet: '10.99.0.0/16' },
      status: { allocatedIPCount: 2, totalIPCount: 10 },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toEqual({ allocatedIPCount: 2, totalIPCount: 10 });
    expect(res.body.spec.subnet).toBe('10.20.0.0/16');
  });

  it('merge patch (what kubectl sends for CRs) and JSON patch with a test op on resourceVersion', async () => {
    const created = (await call('POST', `${SP}/spiderippools`, pool('e-patch', { gateway: '10.20.0.1' })))
      .body;
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const merged = await call(
      'PATCH',
      `${SP}/spiderippools/e-patch`,
      { spec: { gateway: null, disable: true } },
      merge,
    );
    expect(merged.status).toBe(200);
    expect(merged.body.spec.gateway).toBeUndefined();
    expect(merged.body.spec.disable).toBe(true);
    const pinned = {
      metadata: { resourceVersion: created.metadata.resourceVersion },
      spec: { disable: false },
    };
    expect((await call('PATCH', `${SP}/spiderippools/e-patch`, pinned, merge)).body.reason).toBe('Conflict');

    const json = { 'Content-Type': 'application/json-patch+json' };
    const rv = merged.body.metadata.resourceVersion ?? '';
    const ops = (v: string) => [
      { op: 'test', path: '/metadata/resourceVersion', value: v },
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
    ];
    const patched = await call('PATCH', `${SP}/spiderippools/e-patch`, ops(rv), json);
    expect(patched.body.metadata.labels).toEqual({ a: 'b' });
    const failed = await call('PATCH', `${SP}/spiderippools/e-patch`, ops(rv), json);
    expect(failed).toMatchObject({ status: 422, body: { reason: 'Invalid' } });
    expect(failed.body.message).toContain('/metadata/resourceVersion');
    const apply = await call(
      'PATCH',
      `${SP}/spiderippools/e-patch`,
      {},
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(apply.status).toBe(415);
  });

  it('DELETE answers 200 with the marked object while finalizers remain, honours preconditions', async () => {
    const p = pool('e-del');
    const created = (
      await call('POST', `${SP}/spiderippools`, { ...p, metadata: { ...p.metadata, finalizers: ['x.io/f'] } })
    ).body;
    const bad = await call('DELETE', `${SP}/spiderippools/e-del`, { preconditions: { uid: 'other' } });
    expect(bad).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    const marked = await call('DELETE', `${SP}/spiderippools/e-del`, {
      preconditions: { uid: created.metadata.uid },
    });
    expect(marked.status).toBe(200);
    expect(marked.body.metadata.deletionTimestamp).toMatch(/^\d{4}-/);
    expect((await call('GET', `${SP}/spiderippools/e-del`)).status).toBe(200);
  });

  it('namespaced paths: the namespace of the path wins, a different one in the body is refused', async () => {
    const ep = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderEndpoint',
      metadata: { name: 'e-ep' },
    };
    const made = await call('POST', `${SP}/namespaces/team-a/spiderendpoints`, ep);
    expect(made.body.metadata.namespace).toBe('team-a');
    const wrong = { ...ep, metadata: { name: 'e-ep2', namespace: 'team-b' } };
    expect((await call('POST', `${SP}/namespaces/team-a/spiderendpoints`, wrong)).status).toBe(400);
    const all = await call('GET', `${SP}/spiderendpoints?labelSelector=${encodeURIComponent('!nope')}`);
    expect(all.body.items.map((i) => i.metadata.name)).toContain('e-ep');
    expect(
      (await call('GET', `${SP}/spiderendpoints?labelSelector=${encodeURIComponent('a in ()')}`)).status,
    ).toBe(400);
  });
});

describe('Table output', () => {
  it('uses the CRD printer columns, values typed per column', async () => {
    await call('POST', `${SP}/spiderippools`, pool('e-table', { default: true, ipVersion: 4 }));
    const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const t = (await call('GET', `${SP}/spiderippools/e-table`, undefined, accept)).body;
    expect(t.kind).toBe('Table');
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'VERSION',
      'SUBNET',
      'ALLOCATED-IP-COUNT',
      'TOTAL-IP-COUNT',
      'DEFAULT',
      'DISABLE',
      'NodeName',
      'MultusName',
      'APP-NAMESPACE',
    ]);
    expect(t.columnDefinitions[6]?.priority).toBe(10);
    expect(t.rows[0]?.cells).toEqual([
      'e-table',
      '4',
      '10.20.0.0/16',
      null,
      null,
      true,
      false,
      null,
      null,
      null,
    ]);
    expect(t.rows[0]?.object.kind).toBe('PartialObjectMetadata');
    const list = (await call('GET', `${SP}/spidermultusconfigs`, undefined, accept)).body;
    expect(list.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED as JSON lines from a resourceVersion', async () => {
    const start = (await call('GET', `${SP}/spidersubnets`)).body.metadata.resourceVersion;
    const sub = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderSubnet',
      metadata: { name: 'e-w' },
      spec: { subnet: '10.30.0.0/16' },
    };
    const created = (await call('POST', `${SP}/spidersubnets`, sub)).body;
    await call('PUT', `${SP}/spidersubnets/e-w/status`, { ...created, status: { totalIPCount: 5 } });
    const events = await readEvents(`${SP}/spidersubnets?watch=1&resourceVersion=${start}`, 2);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED e-w', 'MODIFIED e-w']);
    expect(events[1]?.object.status).toEqual({ totalIPCount: 5 });
  });

  it('a compacted resourceVersion gets an ERROR event with a 410 Expired Status', async () => {
    const first = (await call('POST', `${SP}/spiderippools`, pool('e-gone'))).body;
    let cur = first;
    for (let i = 0; i < 10; i++) {
      cur = (
        await call('PUT', `${SP}/spiderippools/e-gone`, {
          ...cur,
          spec: { ...cur.spec, ips: [`10.20.0.${i}`] },
        })
      ).body;
    }
    const events = await readEvents(
      `${SP}/spiderippools?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
      1,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });
});
