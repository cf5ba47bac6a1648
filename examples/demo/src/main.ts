// `pnpm demo`: the seed walkthrough (SR-IOV + Multus + Spiderpool) on the embedded in-memory store.
import { consolePrinter } from './printer.ts';
import { runDemo } from './runDemo.ts';

console.log(
  'spiderpool-ts demo: the seed walkthrough (SR-IOV + Multus + Spiderpool) on the embedded in-memory store',
);
const started = performance.now();
const ok = await runDemo(consolePrinter());
const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  ok ? `\ndemo finished in ${secs} s: every step passed` : `\ndemo stopped after ${secs} s: a step failed`,
);
process.exit(ok ? 0 : 1);
