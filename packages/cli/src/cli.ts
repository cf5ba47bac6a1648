// `spiderpool-ts`: the commands, their flags and help, and the dispatch. `runCli` is the whole program as a
// function of (argv, io, openStore) -> exit code, so tests run it in-process against the API-server emulator.
import type { Store } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { type FlagSpec, flagHelp, type ParsedArgs, parseArgs, stringFlag } from './args.ts';
import { audit } from './commands/audit.ts';
import { explain } from './commands/explain.ts';
import { getPools } from './commands/getPools.ts';
import type { CliIo, OpenStore, Output } from './commands/io.ts';
import { DEFAULT_NM_CONF, hostCheck } from './hostcheck/hostCheck.ts';
import { renderTable } from './render/table.ts';

const OUTPUT: FlagSpec = {
  name: 'output',
  short: 'o',
  kind: 'string',
  choices: ['table', 'json'],
  help: 'table (default) or json',
};
const KUBECONFIG: FlagSpec = {
  name: 'kubeconfig',
  kind: 'string',
  help: 'kubeconfig file (default: $KUBECONFIG)',
};

interface Command {
  readonly words: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  readonly run: (args: ParsedArgs, io: CliIo, openStore: OpenStore) => Promise<number>;
}

const outputOf = (a: ParsedArgs): Output => (stringFlag(a, 'output') === 'json' ? 'json' : 'table');

const withStore =
  (run: (store: Store, a: ParsedArgs, io: CliIo) => Promise<number>) =>
  async (a: ParsedArgs, io: CliIo, openStore: OpenStore): Promise<number> => {
    const opened = openStore(stringFlag(a, 'kubeconfig') ?? io.env.KUBECONFIG);
    if ('error' in opened) {
      io.err(opened.error);
      return 2;
    }
    return run(opened.store, a, io);
  };

const list = (v: string | undefined): string[] =>
  v === undefined || v === '' ? [] : v.split(',').filter((s) => s !== '');

const COMMANDS: readonly Command[] = [
  {
    words: ['get', 'pools'],
    summary: 'SpiderIPPools with allocated/total counts and a usage bar',
    usage: 'spiderpool-ts get pools [-o table|json] [--kubeconfig FILE]',
    flags: [OUTPUT, KUBECONFIG],
    run: withStore((store, a, io) => getPools(store, outputOf(a), io)),
  },
  {
    words: ['explain'],
    summary: 'why a Pod got which IP, or none: candidate pools and the rule that dropped each',
    usage: 'spiderpool-ts explain POD [-n NAMESPACE] [--interface eth0] [-o table|json] [--kubeconfig FILE]',
    flags: [
      { name: 'namespace', short: 'n', kind: 'string', help: "the Pod's namespace (default: default)" },
      { name: 'interface', kind: 'string', help: 'the NIC to explain (default: eth0)' },
      OUTPUT,
      KUBECONFIG,
    ],
    run: async (a, io, openStore) => {
      const pod = a.positionals[0];
      if (pod === undefined || a.positionals.length > 1) {
        io.err('explain needs exactly one Pod name: spiderpool-ts explain POD [-n NAMESPACE]');
        return 2;
      }
      return withStore((store, args, out) =>
        explain(
          store,
          {
            namespace: stringFlag(args, 'namespace', 'default') ?? 'default',
            pod,
            ifName: stringFlag(args, 'interface', 'eth0') ?? 'eth0',
          },
          outputOf(args),
          out,
        ),
      )(a, io, openStore);
    },
  },
  {
    words: ['audit'],
    summary: 'cross-check pools, endpoints, Pods and Nodes (leaked, duplicate, orphan IPs; over capacity)',
    usage: 'spiderpool-ts audit [-o table|json] [--kubeconfig FILE]   (exit 0 clean, 1 findings, 2 error)',
    flags: [OUTPUT, KUBECONFIG],
    run: withStore((store, a, io) => audit(store, outputOf(a), io)),
  },
  {
    words: ['host-check'],
    summary:
      "the node preflight: SR-IOV capability and bus-info, NetworkManager drop-in, coordinator's sysctls",
    usage:
      'spiderpool-ts host-check [--nic NAME,...] [--ifacer-links NAME,...] [--write] [--nm-conf FILE] [-o json]',
    flags: [
      { name: 'nic', kind: 'string', help: 'NICs to check, comma-separated (default: every SR-IOV PF)' },
      {
        name: 'ifacer-links',
        kind: 'string',
        help: 'vlan/bond links ifacer creates, kept out of NetworkManager',
      },
      { name: 'write', kind: 'boolean', help: 'write the NetworkManager drop-in, then check it' },
      { name: 'nm-conf', kind: 'string', help: `the drop-in path (default ${DEFAULT_NM_CONF})` },
      { name: 'sysfs-root', kind: 'string', help: 'sysfs root (default /sys; a fixture tree in tests)' },
      { name: 'proc-root', kind: 'string', help: 'procfs root (default /proc)' },
      OUTPUT,
    ],
    run: async (a, io) => {
      const items = await hostCheck({
        sysfsRoot: stringFlag(a, 'sysfs-root', '/sys') ?? '/sys',
        procRoot: stringFlag(a, 'proc-root', '/proc') ?? '/proc',
        nics: list(stringFlag(a, 'nic')),
        ifacerLinks: list(stringFlag(a, 'ifacer-links')),
        nmConfPath: stringFlag(a, 'nm-conf', DEFAULT_NM_CONF) ?? DEFAULT_NM_CONF,
        write: a.flags.get('write') === true,
      });
      if (outputOf(a) === 'json') io.out(JSON.stringify({ checks: items }, null, 2));
      else
        io.out(
          renderTable(
            ['CHECK', 'STATUS', 'DETAIL'],
            items.map((i) => [i.check, i.status, i.detail]),
          ),
        );
      return items.some((i) => i.status === 'FAIL') ? 1 : 0;
    },
  },
];

const topHelp = (): string =>
  [
    'spiderpool-ts: inspect and check a Spiderpool-compatible cluster (works against any kubeconfig, and the emulator)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.words.join(' ').padEnd(12)} ${c.summary}`),
    '',
    'Run `spiderpool-ts COMMAND --help` for its flags.',
  ].join('\n');

const commandHelp = (c: Command): string =>
  [`Usage: ${c.usage}`, '', c.summary, '', 'Flags:', flagHelp(c.flags)].join('\n');

/** The default way to the cluster: KubernetesStore over the kubeconfig's current context. */
export const openKubernetesStore: OpenStore = (kubeconfig) => {
  if (kubeconfig === undefined || kubeconfig === '')
    return { error: 'no cluster: pass --kubeconfig FILE or set KUBECONFIG' };
  const store = createKubernetesStore({ kubeConfig: kubeconfig });
  return store.isOk()
    ? { store: store.value }
    : { error: `cannot use the kubeconfig: ${store.error.message}` };
};

/** The program. Never throws for bad input: usage errors exit 2 with a message on stderr. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  openStore: OpenStore = openKubernetesStore,
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (cmd === undefined) {
    const near = COMMANDS.find((c) => c.words[0] === argv[0]);
    io.err(
      near !== undefined
        ? `unknown: ${argv.slice(0, 2).join(' ')}; did you mean \`${near.words.join(' ')}\`?`
        : `unknown command ${JSON.stringify(argv[0])}\n\n${topHelp()}`,
    );
    return 2;
  }
  const parsed = parseArgs(argv.slice(cmd.words.length), cmd.flags);
  if (parsed.isErr()) {
    io.err(`${parsed.error.message}\n\n${commandHelp(cmd)}`);
    return 2;
  }
  if (parsed.value.flags.get('help') === true) {
    io.out(commandHelp(cmd));
    return 0;
  }
  return cmd.run(parsed.value, io, openStore);
}
