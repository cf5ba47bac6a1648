// Entry of the `coordinator` executable (bin/coordinator runs the bundle built from this file): the CNI
// environment and stdin in, the result or CNI error out, exit code set.
import { unixSocketTransport } from '../cni/agentClient.ts';
import { runCoordinatorPlugin } from './plugin.ts';

const readStdin = async (): Promise<string> => {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

void readStdin()
  .then((stdin) => runCoordinatorPlugin({ env: process.env, stdin, transport: unixSocketTransport() }))
  .then((out) => {
    process.stdout.write(out.stdout);
    process.exitCode = out.exitCode;
  })
  .catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stdout.write(
      `${JSON.stringify({ cniVersion: '1.0.0', code: 999, msg, details: 'coordinator' }, null, 4)}\n`,
    );
    process.exitCode = 1;
  });
