// Test kit for the CNI end-to-end test: runs a REAL CNI plugin (e.g. /usr/lib/cni/macvlan) inside a test
// "host" netns without blocking the event loop (the agent answering the nested `spiderpool` call lives in the
// test process), and finds the distribution's plugin directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLUGIN_DIRS = ['/usr/lib/cni', '/opt/cni/bin'] as const;

/** The directory holding `plugin`, or undefined. */
export const findPluginDir = (plugin: string): string | undefined =>
  PLUGIN_DIRS.find((d) => existsSync(join(d, plugin)));

/** packages/node/bin: where our `spiderpool` executable lives. */
export const OUR_BIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin');

export interface CniRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (result or CNI error), undefined when empty. */
  json: Record<string, unknown> | undefined;
}

export interface CniInvocation {
  hostNetns: string;
  pluginPath: string;
  command: 'ADD' | 'DEL' | 'CHECK' | 'VERSION';
  containerID: string;
  podNetns: string;
  ifName: string;
  cniPath: string;
  pod: { namespace: string; name: string; uid: string };
  netconf: unknown;
}

/** `ip netns exec <host> <plugin>` with a clean CNI environment and the netconf on stdin. */
export const runCni = (inv: CniInvocation): Promise<CniRun> =>
  new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', inv.hostNetns, inv.pluginPath], {
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: inv.command,
        CNI_CONTAINERID: inv.containerID,
        CNI_NETNS: `/var/run/netns/${inv.podNetns}`,
        CNI_IFNAME: inv.ifName,
        CNI_PATH: inv.cniPath,
        CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${inv.pod.namespace};K8S_POD_NAME=${inv.pod.name};K8S_POD_INFRA_CONTAINER_ID=${inv.containerID};K8S_POD_UID=${inv.pod.uid}`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('close', (code) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = stdout.trim() === '' ? undefined : (JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
    child.stdin.end(JSON.stringify(inv.netconf));
  });
