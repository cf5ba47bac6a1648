// etcd3's fault handling, narrowed to transport faults. Its default retries and counts every "recoverable"
// gRPC error against a per-host circuit breaker, and gRPC's RESOURCE_EXHAUSTED (a value past etcd's receive
// limit) is one: one oversized write was sent three times and then opened the breaker, failing every call for
// 5 s. Here a refused request is the caller's error, returned once; unreachable hosts still trip the breaker.
import { ConsecutiveBreaker, circuitBreaker, handleWhen, retry } from 'cockatiel';
import { GRPCResourceExhastedError, type IOptions, isRecoverableError } from 'etcd3';

const transient = (e: Error): boolean => isRecoverableError(e) && !(e instanceof GRPCResourceExhastedError);

/** `faultHandling` for the Etcd3 client an EtcdStore makes. */
export const etcdFaultHandling = (): NonNullable<IOptions['faultHandling']> => ({
  host: () =>
    circuitBreaker(handleWhen(transient), { halfOpenAfter: 5_000, breaker: new ConsecutiveBreaker(3) }),
  global: retry(handleWhen(transient), { maxAttempts: 3 }),
});
