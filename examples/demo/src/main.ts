// `pnpm demo`: the seed walkthrough (SR-IOV + Multus + Spiderpool) on the embedded in-memory store.
import { ipCoreStep } from './ipCoreStep.ts';
import { consolePrinter } from './printer.ts';

const p = consolePrinter();
console.log('spiderpool-ts demo: the seed walkthrough on the embedded in-memory store');
const steps = [() => ipCoreStep(p)];
let okAll = true;
for (const step of steps) okAll = step() && okAll;
console.log(okAll ? '\ndemo finished: every step passed' : '\ndemo finished with failures');
process.exit(okAll ? 0 : 1);
