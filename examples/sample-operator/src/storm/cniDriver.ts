// How the storm's kubelet stand-in (a TEST DOUBLE of kubelet + container runtime: no containers, no netns)
// asks an agent for IPs. Two ways, the same wire: the IPAM CNI plugin's own HTTP-over-unix-socket call
// (`POST`/`DELETE /v1/ipam/ip`, the body the plugin sends) for the bulk, and the real `spiderpool` plugin
// executable (packages/node/bin/spiderpool, a separate process reading CNI_* env and stdin) for a sample.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { IPAM_PLUGIN_BIN } from './processes.ts';

export interface CniPod {
  namespace: string;
  name: string;
  uid: string;
  containerID: string;
}

/** What an ADD gave: the bare IPv4 addresses, or why it failed (`tag` is the agent's or the transport's). */
export type AddOutcome = { ok: true; ips: string[] } | { ok: false; tag: string; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The bare addresses of an `ips: [{ address: "a.b.c.d/nn" }]` list (the agent's answer and a CNI result). */
const addressesOf = (body: unknown): string[] | undefined => {
  if (!isRecord(body) || !Array.isArray(body.ips)) return undefined;
  const out: string[] = [];
  for (const ip of body.ips as unknown[]) {
    if (!isRecord(ip) || typeof ip.address !== 'string') return undefined;
    out.push(ip.address.split('/')[0] ?? ip.address);
  }
  return out;
};

const body = (pod: CniPod) => ({
  podNamespace: pod.namespace,
  podName: pod.name,
  podUid: pod.uid,
  containerID: pod.containerID,
  ifName: 'eth0',
  netns: `/var/run/netns/${pod.containerID}`,
  ipamConfig: {},
});

/** One HTTP request over the agent's unix socket, with a deadline from connect to the last byte. */
const call = (
  socketPath: string,
  method: 'POST' | 'DELETE',
  payload: unknown,
  timeoutMs: number,
): Promise<{ status: number; body: unknown } | { status: 0; error: string }> =>
  new Promise((resolve) => {
    const text = JSON.stringify(payload);
    let done = false;
    const finish = (v: { status: number; body: unknown } | { status: 0; error: string }) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      resolve(v);
    };
    const req = request(
      {
        socketPath,
        path: '/v1/ipam/ip',
        method,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => finish({ status: 0, error: e.message }));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = raw === '' ? undefined : JSON.parse(raw);
          } catch {
            parsed = raw;
          }
          finish({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    const deadline = setTimeout(() => {
      req.destroy();
      finish({ status: 0, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (e) => finish({ status: 0, error: e.message }));
    req.end(text);
  });

const failure = (status: number, b: unknown, fallback: string): AddOutcome => ({
  ok: false,
  tag: isRecord(b) && typeof b._tag === 'string' ? b._tag : `HTTP${status}`,
  message: isRecord(b) && typeof b.message === 'string' ? b.message : fallback,
});

/** CNI ADD through the agent socket, as the plugin sends it. */
export const socketAdd = async (socketPath: string, pod: CniPod, timeoutMs = 30_000): Promise<AddOutcome> => {
  const r = await call(socketPath, 'POST', body(pod), timeoutMs);
  if (r.status === 0) return { ok: false, tag: 'Transport', message: 'error' in r ? r.error : '' };
  if (r.status !== 200) return failure(r.status, 'body' in r ? r.body : undefined, `HTTP ${r.status}`);
  const ips = addressesOf('body' in r ? r.body : undefined);
  return ips === undefined ? { ok: false, tag: 'BadAnswer', message: JSON.stringify(r) } : { ok: true, ips };
};

/** CNI DEL through the agent socket; true when the agent answered 2xx. */
export const socketDel = async (socketPath: string, pod: CniPod, timeoutMs = 30_000): Promise<boolean> => {
  const r = await call(socketPath, 'DELETE', body(pod), timeoutMs);
  return r.status >= 200 && r.status < 300;
};

/** CNI ADD by running the real `spiderpool` IPAM plugin executable (CNI_* env, netconf on stdin). */
export const pluginAdd = (socketPath: string, pod: CniPod, timeoutMs = 30_000): Promise<AddOutcome> =>
  new Promise((resolve) => {
    const child = spawn(IPAM_PLUGIN_BIN, [], {
      env: {
        PATH: process.env.PATH ?? '',
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: pod.containerID,
        CNI_NETNS: `/var/run/netns/${pod.containerID}`,
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/opt/cni/bin',
        CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${pod.namespace};K8S_POD_NAME=${pod.name};K8S_POD_UID=${pod.uid}`,
        SPIDERPOOL_IPAM_DEADLINE_MS: String(timeoutMs),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      let parsed: unknown;
      try {
        parsed = JSON.parse(out);
      } catch {
        parsed = undefined;
      }
      if (code === 0) {
        const ips = addressesOf(parsed);
        resolve(ips === undefined ? { ok: false, tag: 'BadResult', message: out } : { ok: true, ips });
      } else {
        const msg = isRecord(parsed) && typeof parsed.msg === 'string' ? parsed.msg : `${out}${err}`;
        resolve({ ok: false, tag: `Plugin(exit ${code})`, message: msg });
      }
    });
    child.stdin.end(
      JSON.stringify({
        cniVersion: '1.0.0',
        name: 'storm',
        type: 'macvlan',
        ipam: { type: 'spiderpool', ipam_unix_socket_path: socketPath },
      }),
    );
  });
