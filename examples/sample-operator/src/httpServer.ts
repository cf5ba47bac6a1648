// /healthz (the process runs and its webhook server answers), /readyz (also: the API server answered the
// last lease attempt and the webhooks' informers have synced) and /metrics (Prometheus text) on one plain
// HTTP port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Probes {
  live: () => Promise<boolean>;
  ready: () => Promise<boolean>;
}

export const startHttpServer = async (
  port: number,
  probes: Probes,
  registry: Registry,
): Promise<{ server: Server; port: number }> => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://operator').pathname;
    const probe = (check: () => Promise<boolean>) =>
      void check().then(
        (okay) => {
          res.writeHead(okay ? 200 : 503, { 'Content-Type': 'text/plain' });
          res.end(okay ? 'ok\n' : 'not ready\n');
        },
        () => {
          res.writeHead(503, { 'Content-Type': 'text/plain' });
          res.end('not ready\n');
        },
      );
    if (path === '/healthz') return probe(probes.live);
    if (path === '/readyz') return probe(probes.ready);
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': registry.contentType });
          res.end(text);
        },
        (e: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`metrics failed: ${String(e)}\n`);
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
};
