// Command line of the sample operator. Flags win over the environment (SPIDERPOOL_GC_* as Spiderpool names
// them, POD_NAME / POD_NAMESPACE from the Deployment's downward API, KUBECONFIG).
import { hostname } from 'node:os';

export interface OperatorArgs {
  help: boolean;
  /** Path of a kubeconfig; absent: start the API-server emulator (a test double) and use it. */
  kubeconfig: string | undefined;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  /** Health, readiness and metrics port (0 = any free port, printed). */
  port: number;
  gcIntervalSeconds: number;
  gcAdditionalGraceDelaySeconds: number;
  coordinatorResyncSeconds: number;
  /** HTTPS port of the admission webhook server (default 5722; 0 = any free port, and the default when --port is 0). */
  webhookPort: number;
  /** PEM files of the webhook server's certificate, key and CA; absent: a self-signed CA and cert (dev only). */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  tlsCaFile: string | undefined;
}

export const USAGE = `spiderpool-ts sample operator

Runs the SpiderIPPool/SpiderSubnet status controllers, auto-pools, the NetworkAttachmentDefinition and
SpiderCoordinator controllers and IP garbage collection under one coordination.k8s.io/v1 Lease, and serves
/healthz, /readyz and Prometheus /metrics. Every replica serves the admission webhooks (HTTPS).

Usage: pnpm operator [flags]

  --kubeconfig <path>         cluster to run against (default: $KUBECONFIG; neither: start the emulator)
  --lease-namespace <ns>      namespace of the Lease (default: $POD_NAMESPACE or kube-system)
  --lease-name <name>         Lease name (default spiderpool-ts-operator)
  --identity <id>             this candidate (default: $POD_NAME or <hostname>_<pid>)
  --lease-duration <s>        lease duration (default 15)
  --renew-deadline <s>        give up leading after failing to renew this long (default 10)
  --retry-period <s>          acquire/renew period (default 2)
  --port <n>                  HTTP port of /healthz /readyz /metrics (default 5721; 0 = any)
  --gc-interval <s>           scan-all period (default $SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION or 600)
  --gc-grace-delay <s>        added grace (default $SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY or 0)
  --coordinator-resync <s>    SpiderCoordinator resync period (default 60)
  --webhook-port <n>          HTTPS port of the admission webhooks (default 5722; 0 = any, and 0 when --port is 0)
  --tls-cert-file <path>      webhook serving certificate (PEM); with --tls-key-file
  --tls-key-file <path>       its private key (PEM)
  --tls-ca-file <path>        the CA that signed it (default: the certificate itself)
                              (no cert files: a self-signed CA + cert for localhost, for development)
  -h, --help                  this text

SIGTERM / SIGINT stop the controllers and release the Lease so a standby operator takes over at once.
`;

export type ArgsError = { _tag: 'BadFlag'; flag: string; value: string | undefined; message: string };

const NUMERIC: Record<string, keyof OperatorArgs> = {
  '--lease-duration': 'leaseDurationSeconds',
  '--renew-deadline': 'renewDeadlineSeconds',
  '--retry-period': 'retryPeriodSeconds',
  '--port': 'port',
  '--gc-interval': 'gcIntervalSeconds',
  '--gc-grace-delay': 'gcAdditionalGraceDelaySeconds',
  '--coordinator-resync': 'coordinatorResyncSeconds',
  '--webhook-port': 'webhookPort',
};
const TEXT: Record<string, keyof OperatorArgs> = {
  '--kubeconfig': 'kubeconfig',
  '--lease-namespace': 'leaseNamespace',
  '--lease-name': 'leaseName',
  '--identity': 'identity',
  '--tls-cert-file': 'tlsCertFile',
  '--tls-key-file': 'tlsKeyFile',
  '--tls-ca-file': 'tlsCaFile',
};

const envNumber = (env: NodeJS.ProcessEnv, key: string, fallback: number): number => {
  const v = Number(env[key]);
  return env[key] !== undefined && Number.isFinite(v) && v >= 0 ? v : fallback;
};

export const parseArgs = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { ok: true; args: OperatorArgs } | { ok: false; error: ArgsError } => {
  const args: OperatorArgs = {
    help: false,
    kubeconfig: env.KUBECONFIG || undefined,
    leaseNamespace: env.POD_NAMESPACE || 'kube-system',
    leaseName: 'spiderpool-ts-operator',
    identity: env.POD_NAME || `${hostname()}_${process.pid}`,
    leaseDurationSeconds: 15,
    renewDeadlineSeconds: 10,
    retryPeriodSeconds: 2,
    port: 5721,
    gcIntervalSeconds: envNumber(env, 'SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION', 600),
    gcAdditionalGraceDelaySeconds: envNumber(env, 'SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY', 0),
    coordinatorResyncSeconds: 60,
    webhookPort: Number.NaN,
    tlsCertFile: undefined,
    tlsKeyFile: undefined,
    tlsCaFile: undefined,
  };
  const bad = (flag: string, value: string | undefined, why: string) => ({
    ok: false as const,
    error: { _tag: 'BadFlag' as const, flag, value, message: `${flag}: ${why}` },
  });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-h' || a === '--help') {
      args.help = true;
      continue;
    }
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const value = inline ?? argv[++i];
    const num = NUMERIC[flag];
    const text = TEXT[flag];
    if (num !== undefined) {
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) {
        return bad(flag, value, 'expects a non-negative number');
      }
      (args as unknown as Record<string, number>)[num] = n;
    } else if (text !== undefined) {
      if (value === undefined || value === '') return bad(flag, value, 'expects a value');
      (args as unknown as Record<string, string>)[text] = value;
    } else {
      return bad(a, undefined, 'unknown flag (see --help)');
    }
  }
  // Tests and several replicas on one host run with `--port 0`: the webhook port follows unless given.
  if (Number.isNaN(args.webhookPort)) args.webhookPort = args.port === 0 ? 0 : 5722;
  if ((args.tlsCertFile === undefined) !== (args.tlsKeyFile === undefined)) {
    const flag = args.tlsCertFile === undefined ? '--tls-cert-file' : '--tls-key-file';
    return bad(flag, undefined, 'is required with --tls-cert-file / --tls-key-file');
  }
  if (args.tlsCaFile !== undefined && args.tlsCertFile === undefined) {
    return bad('--tls-ca-file', args.tlsCaFile, 'needs --tls-cert-file and --tls-key-file');
  }
  if (!(args.renewDeadlineSeconds < args.leaseDurationSeconds)) {
    return bad(
      '--renew-deadline',
      String(args.renewDeadlineSeconds),
      'must be shorter than --lease-duration',
    );
  }
  return { ok: true, args };
};
