// The storm's API server: the seeded emulator of ../emulator.ts (a TEST DOUBLE of kube-apiserver, in memory,
// HTTP on 127.0.0.1) in a process of its own, so that its event loop is not the test's. Prints
// `kubeconfig: <path>` once it serves; exits on SIGTERM/SIGINT, or when its parent goes (stdin closes).
import { startSeededEmulator } from '../emulator.ts';

const { emulator, kubeconfig } = await startSeededEmulator();
process.stdout.write(`emulator at ${emulator.url}\nkubeconfig: ${kubeconfig}\n`);
// With STORM_TRACE_WRITES=1: every write request, timestamped (to follow one Pod through a failed run).
if (process.env.STORM_TRACE_WRITES === '1') {
  let seen = 0;
  setInterval(() => {
    for (const r of emulator.requests.slice(seen))
      if (!r.startsWith('GET')) process.stdout.write(`${new Date().toISOString()} ${r}\n`);
    seen = emulator.requests.length;
  }, 50).unref();
}
const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.resume();
process.stdin.once('end', stop);
