// Test double for the network between a client and the API server: a TCP proxy on 127.0.0.1 whose
// connections can be cut (a dropped link), that can refuse new connections (a server or link down), and
// whose upstream can be re-pointed (a restarted server on another port).
import { createConnection, createServer, type Socket } from 'node:net';

export interface CutProxy {
  readonly url: string;
  /** Destroys every open connection (both sides). */
  cut(): void;
  /** While down, new connections are closed at once. */
  down: boolean;
  /** The upstream port. */
  target: number;
  close(): Promise<void>;
}

export const startCutProxy = async (target: number): Promise<CutProxy> => {
  const pairs = new Set<[Socket, Socket]>();
  const proxy: CutProxy = {
    url: '',
    down: false,
    target,
    cut: () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.cut();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    client.on('error', () => {});
    if (proxy.down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: proxy.target });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
  (proxy as { url: string }).url = `http://127.0.0.1:${addr.port}`;
  return proxy;
};

export const portOf = (url: string): number => Number(new URL(url).port);
