// Entry of the `spiderpool-agent` executable (bin/spiderpool-agent runs the built dist/spiderpool-agent.js):
// flags and env -> startAgentProcess; logs JSON lines to stderr; SIGTERM/SIGINT close the socket and exit 0.
import { parseAgentFlags } from './agentFlags.ts';
import { startAgentProcess } from './agentProcess.ts';

const log = (level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
};

const main = async (): Promise<void> => {
  const parsed = parseAgentFlags(process.argv.slice(2), process.env);
  if (parsed.isErr()) {
    process.stderr.write(`spiderpool-agent: ${parsed.error.message}\n(see --help)\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.value._tag === 'Help') {
    process.stdout.write(parsed.value.text);
    return;
  }
  const flags = parsed.value.flags;
  const started = await startAgentProcess({
    ...flags,
    onInformerError: (e) => log('error', e.message, { tag: e._tag, kind: e.kind }),
  });
  if (started.isErr()) {
    log('error', started.error.message, { tag: started.error._tag });
    process.exitCode = 1;
    return;
  }
  const proc = started.value;
  log('info', 'agent ready', { node: flags.nodeName, socket: flags.socketPath });
  const stop = (signal: string): void => {
    log('info', 'stopping', { signal });
    void proc.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
};

await main().catch((e: unknown) => {
  log('error', e instanceof Error ? e.message : String(e), { tag: 'Internal' });
  process.exitCode = 1;
});
