// Entry of the `sriov` CNI executable (bin/sriov runs the bundle built from this file): CNI environment and
// stdin in, result or CNI error out, diagnostics on stderr, exit code set.
import { internalError, toCniErrorJson } from '../cni/errors.ts';
import { LATEST_CNI_VERSION } from '../cni/version.ts';
import { createIproute, spawnRunner } from '../iproute/index.ts';
import { runSriovPlugin } from './plugin.ts';

const readStdin = async (): Promise<string> => {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const main = async (): Promise<void> => {
  const out = await runSriovPlugin({
    env: process.env,
    stdin: await readStdin(),
    world: {
      iproute: createIproute({ runner: spawnRunner }),
      runner: spawnRunner,
      log: (line) => process.stderr.write(`sriov: ${line}\n`),
    },
  });
  process.stdout.write(out.stdout);
  process.exitCode = out.exitCode;
};

await main().catch((e: unknown) => {
  const error = internalError(e instanceof Error ? e.message : String(e));
  process.stdout.write(`${JSON.stringify(toCniErrorJson(LATEST_CNI_VERSION, error), null, 4)}\n`);
  process.exitCode = 1;
});
