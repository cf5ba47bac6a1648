// Entry of the `spiderpool` IPAM executable (bin/spiderpool runs this file): reads the CNI environment and
// stdin, talks to the agent over its unix socket, prints the result or the CNI error, sets the exit code.
import { deadlineFromEnv, unixSocketTransport } from './agentClient.ts';
import { internalError, toCniErrorJson } from './errors.ts';
import { runIpamPlugin } from './plugin.ts';
import { LATEST_CNI_VERSION } from './version.ts';

const readStdin = async (): Promise<string> => {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const main = async (): Promise<void> => {
  const out = await runIpamPlugin({
    env: process.env,
    stdin: await readStdin(),
    transport: unixSocketTransport(deadlineFromEnv(process.env.SPIDERPOOL_IPAM_DEADLINE_MS)),
  });
  process.stdout.write(out.stdout);
  process.exitCode = out.exitCode;
};

// runIpamPlugin never rejects; reading stdin can. Either way the runtime must get CNI error JSON, not a trace.
await main().catch((e: unknown) => {
  const error = internalError(e instanceof Error ? e.message : String(e));
  process.stdout.write(`${JSON.stringify(toCniErrorJson(LATEST_CNI_VERSION, error), null, 4)}\n`);
  process.exitCode = 1;
});
