// Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules (leaderelection.go):
// - acquire when the lease is free (no holder), ours, or not seen to change for leaseDuration by OUR clock
//   (the holder's renewTime is never compared with our clock, so clock skew between hosts does not matter);
// - every write is a compare-and-swap on the lease's resourceVersion: two candidates cannot both win;
// - the holder renews every retryPeriod and counts as leader only while its last successful renew began
//   less than renewDeadline ago (renewDeadline < leaseDuration: it stops before anyone else may start);
// - release on stop writes an empty holder so a successor takes over at once.
// The clock and the sleep are injected; one step (`tryAcquireOrRenew`) is what tests drive.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { AbortSignalLike } from '../controllers/watchLoop.ts';
import type { StoreError } from '../store/errors.ts';
import type { Store } from '../store/port.ts';
import { childLatch } from './abortLatch.ts';
import { formatMicroTime, KIND_LEASE, LEASE_API_VERSION, type Lease, type LeaseSpec } from './lease.ts';

export interface LeaderElectorOptions {
  namespace: string;
  name: string;
  /** This candidate (Pod name, hostname + pid...). Must be unique among candidates. */
  identity: string;
  now: () => Date;
  /** How long a non-renewed lease blocks others (client-go default 15 s). */
  leaseDurationSeconds?: number;
  /** The holder gives up leading when it could not renew for this long (default 10 s). */
  renewDeadlineSeconds?: number;
  /** Time between acquire attempts and between renews (default 2 s). */
  retryPeriodSeconds?: number;
}

export interface RunLeaderOptions {
  /** Stops the elector; it then releases the lease if it holds it. */
  signal: AbortSignalLike;
  /** Waits `ms`, resolving early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignalLike) => Promise<void>;
  /** Called on becoming leader; `leading` aborts when leadership ends (lost or stopping). */
  onStartedLeading: (leading: AbortSignalLike) => void;
  /** Called after leadership ended (before the release on stop). */
  onStoppedLeading?: () => void;
  /** A holder other than us was observed (or "" when free). */
  onNewLeader?: (identity: string) => void;
  /** A lease read/write failed (the loop carries on). */
  onError?: (error: StoreError) => void;
}

export interface LeaderElector {
  readonly identity: string;
  /** One attempt: Ok(true) when we hold the lease after it. Conflicts and foreign holders are Ok(false). */
  tryAcquireOrRenew(): ResultAsync<boolean, StoreError>;
  /** The fence: true while we hold the lease and our last successful renew began within renewDeadline. */
  isLeader(): boolean;
  /** The holder last observed ("" = free, undefined = not read yet). */
  observedHolder(): string | undefined;
  /** Gives the lease up if we hold it (empty holder, duration 1 s). Ok(false) when we did not hold it. */
  release(): ResultAsync<boolean, StoreError>;
  /** Acquire, lead, renew; loops back to acquiring after a loss; returns after the release on stop. */
  run(options: RunLeaderOptions): Promise<void>;
}

export const createLeaderElector = (store: Store, options: LeaderElectorOptions): LeaderElector => {
  const durationS = options.leaseDurationSeconds ?? 15;
  const deadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
  const retryMs = (options.retryPeriodSeconds ?? 2) * 1000;
  if (!(deadlineMs < durationS * 1000)) throw new Error('renewDeadline must be shorter than leaseDuration');
  const ref = { kind: KIND_LEASE, namespace: options.namespace, name: options.name };
  const me = options.identity;
  const nowMs = () => options.now().getTime();

  let observed: { key: string; holder: string; at: number } | undefined;
  let renewedAt: number | undefined;

  const observe = (lease: Lease, at: number): void => {
    const spec = lease.spec ?? {};
    const key = JSON.stringify([spec.holderIdentity ?? '', spec.renewTime ?? '', spec.leaseTransitions ?? 0]);
    if (observed?.key !== key) observed = { key, holder: spec.holderIdentity ?? '', at };
  };

  const won = (lease: Lease, started: number): boolean => {
    observe(lease, started);
    renewedAt = started;
    return true;
  };

  const lost = (): boolean => {
    renewedAt = undefined;
    return false;
  };

  const spec = (prev: LeaseSpec | undefined, at: Date): LeaseSpec => {
    const time = formatMicroTime(at);
    const same = (prev?.holderIdentity ?? '') === me;
    return {
      holderIdentity: me,
      leaseDurationSeconds: durationS,
      acquireTime: same && prev?.acquireTime ? prev.acquireTime : time,
      renewTime: time,
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (same || prev === undefined ? 0 : 1),
    };
  };

  const tryAcquireOrRenew = (): ResultAsync<boolean, StoreError> => {
    const at = options.now();
    const started = at.getTime();
    return store
      .get<Lease>(ref)
      .map((l): Lease | undefined => l)
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
      .andThen((current): ResultAsync<boolean, StoreError> => {
        if (current === undefined) {
          const lease: Lease = {
            apiVersion: LEASE_API_VERSION,
            kind: 'Lease',
            metadata: { name: options.name, namespace: options.namespace },
            spec: spec(undefined, at),
          };
          return store
            .create(lease)
            .map((l) => won(l, started))
            .orElse((e) => (e._tag === 'AlreadyExists' ? okAsync(lost()) : errAsync(e)));
        }
        observe(current, started);
        const holder = current.spec?.holderIdentity ?? '';
        const expired = observed !== undefined && started >= observed.at + durationS * 1000;
        if (holder !== '' && holder !== me && !expired) return okAsync(lost());
        return store
          .update<Lease>({ ...current, spec: spec(current.spec, at) })
          .map((l) => won(l, started))
          .orElse((e) => (e._tag === 'Conflict' ? okAsync(lost()) : errAsync(e)));
      });
  };

  const isLeader = (): boolean => renewedAt !== undefined && nowMs() - renewedAt < deadlineMs;

  const release = (): ResultAsync<boolean, StoreError> => {
    if (renewedAt === undefined) return okAsync(false);
    renewedAt = undefined;
    return store.get<Lease>(ref).andThen((current) => {
      if ((current.spec?.holderIdentity ?? '') !== me) return okAsync(false);
      const time = formatMicroTime(options.now());
      const freed: LeaseSpec = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: time,
        renewTime: time,
        leaseTransitions: current.spec?.leaseTransitions ?? 0,
      };
      return store.update<Lease>({ ...current, spec: freed }).map(() => true);
    });
  };

  const run = async (o: RunLeaderOptions): Promise<void> => {
    let lastHolder: string | undefined;
    const step = async (): Promise<boolean> => {
      const r = await tryAcquireOrRenew();
      if (r.isErr()) o.onError?.(r.error);
      const holder = observed?.holder;
      if (holder !== undefined && holder !== lastHolder) {
        lastHolder = holder;
        if (holder !== me) o.onNewLeader?.(holder);
      }
      return r.isOk() && r.value;
    };
    while (!o.signal.aborted) {
      while (!o.signal.aborted && !(await step())) await o.sleep(retryMs, o.signal);
      if (o.signal.aborted) break;
      const leading = childLatch(o.signal);
      o.onStartedLeading(leading.signal);
      while (!o.signal.aborted) {
        await o.sleep(retryMs, o.signal);
        if (o.signal.aborted) break;
        const renewed = await step();
        const foreign = observed !== undefined && observed.holder !== me;
        if (!renewed && (foreign || !isLeader())) break;
      }
      if (!o.signal.aborted) renewedAt = undefined;
      leading.abort();
      o.onStoppedLeading?.();
    }
    const r = await release();
    if (r.isErr()) o.onError?.(r.error);
  };

  return {
    identity: me,
    tryAcquireOrRenew,
    isLeader,
    observedHolder: () => observed?.holder,
    release,
    run,
  };
};
