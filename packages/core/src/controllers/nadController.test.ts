import { createMemoryStore } from '../store/index.ts';
import { describeNadControllerContract } from '../testing/index.ts';

describeNadControllerContract('MemoryStore', {
  makeStore: () => createMemoryStore({ now: () => new Date() }),
});
