// What kubelet reads from a Pod to size device allocations: for each container, the count of an extended
// resource from `resources.limits` (for extended resources requests must equal limits, and either alone is
// taken as both). Counts are whole numbers ("1"), anything else is refused.
import { err, ok, type Result } from 'neverthrow';
import { type KubeletError, podInvalid } from './kubeletErrors.ts';

export interface ContainerRequest {
  container: string;
  /** resource name -> count (> 0 only), in resource-name order. */
  counts: Map<string, number>;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const count = (v: unknown, path: string): Result<number, KubeletError> => {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^\d+$/.test(s)) return err(podInvalid(path, v, 'not a whole number'));
  return ok(Number.parseInt(s, 10));
};

/** The per-container counts of the given resources (containers without any are left out). */
export const containerRequests = (
  pod: unknown,
  resources: ReadonlySet<string>,
): Result<ContainerRequest[], KubeletError> => {
  const spec = isRecord(pod) ? pod.spec : undefined;
  const containers = isRecord(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers)) return err(podInvalid('spec.containers', containers, 'expected a list'));
  const out: ContainerRequest[] = [];
  for (const [i, c] of containers.entries()) {
    const path = `spec.containers[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string') return err(podInvalid(`${path}.name`, c, 'missing name'));
    const res = isRecord(c.resources) ? c.resources : {};
    const limits = isRecord(res.limits) ? res.limits : {};
    const requests = isRecord(res.requests) ? res.requests : {};
    const counts = new Map<string, number>();
    for (const name of [...resources].sort()) {
      const raw = limits[name] ?? requests[name];
      if (raw === undefined) continue;
      const n = count(raw, `${path}.resources[${name}]`);
      if (n.isErr()) return err(n.error);
      if (limits[name] !== undefined && requests[name] !== undefined) {
        const r = count(requests[name], `${path}.resources.requests[${name}]`);
        if (r.isErr()) return err(r.error);
        if (r.value !== n.value)
          return err(
            podInvalid(`${path}.resources.requests[${name}]`, requests[name], 'must equal the limit'),
          );
      }
      if (n.value > 0) counts.set(name, n.value);
    }
    if (counts.size > 0) out.push({ container: c.name, counts });
  }
  return ok(out);
};
