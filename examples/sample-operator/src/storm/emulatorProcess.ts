// The storm's API server: the seeded emulator of ../emulator.ts (a TEST DOUBLE of kube-apiserver, in memory,
// HTTP on 127.0.0.1) in a process of its own, so that its event loop is not the test's. Prints
// `kubeconfig: <path>` once it serves; exits on SIGTERM/SIGINT, or when its parent goes (stdin closes).
import { startSeededEmulator } from '../emulator.ts';

const { emulator, kubeconfig } = await startSeededEmulator();
process.stdout.write(`emulator at ${emulator.url}\nkubeconfig: ${kubeconfig}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.resume();
process.stdin.once('end', stop);
