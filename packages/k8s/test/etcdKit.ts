// Shared by the etcd suites: the gate (etcd-server is a Debian package) and a store factory.
import { existsSync } from 'node:fs';
import { ETCD_BINARY } from '../src/testing/index.ts';

/** Outside CI a missing etcd skips with the reason; under CI=true it fails (netnsKit's gate pattern). */
export const gateEtcd = (suite: string): boolean => {
  const reason = existsSync(ETCD_BINARY) ? undefined : `${ETCD_BINARY} missing (apt-get install etcd-server)`;
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`[${suite}] needed under CI=true but missing: ${reason}`);
  console.log(`[${suite}] skipped: ${reason}`);
  return true;
};
