// Kubeconfig for a loopback API server without auth: as a client-node KubeConfig, as YAML text, or as a file.
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { toYaml } from '../crds/yaml.ts';

const CONTEXT = 'spiderpool-ts-emulator';

export const kubeconfigDocument = (server: string, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'Config',
  // client-node refuses plain http unless TLS verification is off (there is no TLS to verify).
  clusters: [{ name: CONTEXT, cluster: { server, 'insecure-skip-tls-verify': true } }],
  users: [{ name: CONTEXT, user: { token: 'emulator' } }],
  contexts: [{ name: CONTEXT, context: { cluster: CONTEXT, user: CONTEXT, namespace } }],
  'current-context': CONTEXT,
  preferences: {},
});

/** A KubeConfig whose current context points at `server` (e.g. `http://127.0.0.1:34567`). */
export const kubeConfigFor = (server: string): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(kubeconfigDocument(server)));
  return kc;
};

/** Writes a kubeconfig file for `server` (for kubectl: `KUBECONFIG=<path>` or `--kubeconfig <path>`). */
export const writeKubeconfig = (path: string, server: string): string => {
  writeFileSync(path, toYaml(kubeconfigDocument(server)), { mode: 0o600 });
  return path;
};
