// Test helper: a unix socket left behind by a process that was SIGKILLed (the file exists, nobody listens),
// which is what a crashed agent leaves on a node.
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';

export const leaveStaleSocket = (path: string): void => {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  try {
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // killed by design
  }
  if (!lstatSync(path).isSocket()) throw new Error(`no stale socket at ${path}`);
};
