// The transport and the watch stream against a real HTTPS server (node:https, certificates made for the test)
// that verifies client certificates: the kubeconfig's CA is what the server certificate is checked against,
// its client certificate and key are presented, its bearer token (or an exec plugin's) is sent, on requests
// and watches alike, over kept-alive connections.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@spiderpool-ts/core';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { startWatch } from '../src/kube/watchStream.ts';
import { generateSelfSignedTls, type TlsMaterial } from '../src/webhookServer/tls.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  acceptEncoding: string | undefined;
  /** CN of the client certificate the server verified ('' without one). */
  clientCN: string;
  socket: number;
}

let serverTls: TlsMaterial;
let otherTls: TlsMaterial;
let client: { cert: string; key: string; ca: string };
let server: Server;
let base = '';
const seen: Seen[] = [];
let sockets = 0;

/** A CA and a client certificate (CN `spiderpool-agent`, extKeyUsage clientAuth) it signed. */
const clientCertificate = async () => {
  const now = Date.now();
  const dates = { notBeforeDate: new Date(now - 60_000), notAfterDate: new Date(now + 86_400_000) };
  const key = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', ...dates } as const;
  const ca = await generate([{ name: 'commonName', value: 'test client CA' }], {
    ...key,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'spiderpool-agent' }], {
    ...key,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { cert: leaf.cert, key: leaf.private, ca: ca.cert };
};

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

const kubeConfig = (user: Record<string, unknown>, ca = serverTls.ca): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: base, 'certificate-authority-data': b64(ca) } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return kc;
};

const certUser = (token: string) => ({
  'client-certificate-data': b64(client.cert),
  'client-key-data': b64(client.key),
  token,
});

beforeAll(async () => {
  serverTls = (await generateSelfSignedTls({ hosts: ['127.0.0.1'] }))._unsafeUnwrap();
  otherTls = (await generateSelfSignedTls({ hosts: ['127.0.0.1'] }))._unsafeUnwrap();
  client = await clientCertificate();
  server = createServer(
    // Client certificates are verified against the client CA, but not required (the exec case has none).
    { key: serverTls.key, cert: serverTls.cert, ca: client.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const tlsSocket = req.socket as import('node:tls').TLSSocket;
      const peer = tlsSocket.authorized ? tlsSocket.getPeerCertificate() : undefined;
      const s = tlsSocket as unknown as { testId?: number };
      s.testId ??= ++sockets;
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        acceptEncoding: req.headers['accept-encoding'],
        clientCN: typeof peer?.subject?.CN === 'string' ? peer.subject.CN : '',
        socket: s.testId,
      });
      const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', resourceVersion: '7' } };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if ((req.url ?? '').includes('watch=true')) {
        res.write(`${JSON.stringify({ type: 'ADDED', object: ns })}\n`);
        return; // the stream stays open until the client closes it
      }
      res.end(JSON.stringify(ns));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('requests over HTTPS', () => {
  it('verify the server with the kubeconfig CA, present its client certificate and send its token', async () => {
    seen.length = 0;
    const store = createKubernetesStore({ kubeConfig: kubeConfig(certUser('tls-token')) })._unsafeUnwrap();
    for (let i = 0; i < 5; i++) {
      const ns = (await store.get({ kind: 'Namespace', name: 'x' }))._unsafeUnwrap();
      expect(ns.metadata.resourceVersion).toBe('7');
    }
    expect(seen).toHaveLength(5);
    for (const s of seen) {
      expect(s).toMatchObject({ method: 'GET', url: '/api/v1/namespaces/x', clientCN: 'spiderpool-agent' });
      expect(s.authorization).toBe('Bearer tls-token');
      expect(s.acceptEncoding).toBeUndefined();
    }
    // One TLS connection, kept alive.
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('a server certificate the kubeconfig CA did not sign is refused (Unavailable, nothing sent)', async () => {
    seen.length = 0;
    const kc = kubeConfig(certUser('tls-token'), otherTls.ca);
    const store = createKubernetesStore({ kubeConfig: kc })._unsafeUnwrap();
    const got = await store.get({ kind: 'Namespace', name: 'x' });
    expect(got._unsafeUnwrapErr()._tag).toBe('Unavailable');
    expect(got._unsafeUnwrapErr().message).toMatch(/certificate|self.signed|verify/i);
    expect(seen).toHaveLength(0);
  });

  it("send an exec plugin's token (client-node runs the plugin)", async () => {
    seen.length = 0;
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: 'exec-token', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() },
    };
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: ['-e', `process.stdout.write(${JSON.stringify(JSON.stringify(credential))})`],
      interactiveMode: 'Never',
    };
    const store = createKubernetesStore({ kubeConfig: kubeConfig({ exec }) })._unsafeUnwrap();
    (await store.get({ kind: 'Namespace', name: 'x' }))._unsafeUnwrap();
    expect(seen.map((s) => [s.authorization, s.clientCN])).toEqual([['Bearer exec-token', '']]);
  });
});

describe('watches over HTTPS', () => {
  it('carry the client certificate and the token', async () => {
    seen.length = 0;
    const events: string[] = [];
    const started = await startWatch<KubeObject>({
      kc: kubeConfig(certUser('watch-token')),
      kind: 'Namespace',
      path: '/api/v1/namespaces',
      labelSelector: undefined,
      resourceVersion: '5',
      fill: (o) => o as KubeObject,
      openTimeoutMs: 5000,
      listener: (e) => events.push(e.type === 'ERROR' ? `ERROR ${e.error.message}` : e.type),
    });
    const handle = started._unsafeUnwrap();
    await expect.poll(() => events).toEqual(['ADDED']);
    handle.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/v1/namespaces?watch=true&resourceVersion=5&allowWatchBookmarks=false',
      authorization: 'Bearer watch-token',
      clientCN: 'spiderpool-agent',
    });
  });
});
