// Real timers for the test kits. core is built without Node or DOM types (it is pure), so the kits that
// must really wait take setTimeout / clearTimeout / queueMicrotask from the global object, typed here once.
interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  queueMicrotask(fn: () => void): void;
}

export const timers: Timers = globalThis as unknown as Timers;
