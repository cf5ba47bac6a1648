// JSON-safe deep copy and deep equality for stored objects. The pure core has no `structuredClone` (no DOM or
// Node libs), and Kubernetes objects are JSON anyway: `undefined` members are dropped as JSON would drop them.

const cloneValue = (v: unknown): unknown => {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      out[i] = item === undefined ? null : cloneValue(item);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const item = (v as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    // An own `__proto__` member (JSON.parse makes one) must stay data: plain assignment would set the
    // clone's prototype instead, dropping the member and letting its content leak into lookups.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: cloneValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = cloneValue(item);
    }
  }
  return out;
};

/** A deep copy sharing nothing with `value` (plain objects, arrays and primitives only). */
export const cloneJson = <T>(value: T): T => cloneValue(value) as T;

const equalValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!equalValue(ra[k], rb[k])) return false;
  return true;
};

/** Structural equality as JSON sees it (`undefined` members count as absent). */
export const equalJson = (a: unknown, b: unknown): boolean => equalValue(a, b);
