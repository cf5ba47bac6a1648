import { describe, expect, it } from 'vitest';
import { runAutoPoolController } from './autoPoolController.ts';
import type { AutoPoolControllerError } from './autoPoolErrors.ts';
import { autoPoolWorld, SUBNET_ANNO, subnetObject, workload } from './autoPoolTestKit.ts';

const anno = { [SUBNET_ANNO]: '{"ipv4":["s4"]}' };

const start = async (w: ReturnType<typeof autoPoolWorld>) => {
  const ac = new AbortController();
  const errors: AutoPoolControllerError[] = [];
  const handle = (
    await runAutoPoolController(w.store, { signal: ac.signal, onError: (_app, e) => errors.push(e) })
  )._unsafeUnwrap();
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1));
      await handle.idle();
    }
  };
  return { ac, errors, settle };
};

describe('runAutoPoolController', () => {
  it('creates on ADDED, scales on MODIFIED, retries a refused scale-down when records are freed', async () => {
    const w = autoPoolWorld();
    await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50']));
    const c = await start(w);
    await w.create(workload('Deployment', 'default', 'web', { replicas: 2, annotations: anno }));
    await c.settle();
    const pool = await w.autoName(4, 'Deployment', 'default', 'web');
    expect((await w.pool(pool))?.spec.ips).toEqual(['10.1.0.10-10.1.0.12']);

    await w.allocate(pool, ['10.1.0.10', '10.1.0.11', '10.1.0.12']);
    await w.scale('Deployment', 'default', 'web', 0);
    await c.settle();
    expect(c.errors.map((e) => e._tag)).toEqual(['FreeIPsNotEnough']);
    expect((await w.pool(pool))?.spec.ips).toEqual(['10.1.0.10-10.1.0.12']);

    await w.allocate(pool, ['10.1.0.12']); // two Pods went away: the pool event wakes the app
    await c.settle();
    expect((await w.pool(pool))?.spec.ips).toEqual(['10.1.0.12']);
    c.ac.abort();
  });

  it('retries an app that failed on the subnet when the subnet changes; stops on abort', async () => {
    const w = autoPoolWorld();
    const c = await start(w);
    await w.create(workload('Deployment', 'default', 'web', { replicas: 1, annotations: anno }));
    await c.settle();
    expect(c.errors.map((e) => e._tag)).toEqual(['SubnetNotFound']);
    await w.create(subnetObject('s4', '10.1.0.0/24', ['10.1.0.10-10.1.0.50']));
    await c.settle();
    const pool = await w.autoName(4, 'Deployment', 'default', 'web');
    expect((await w.pool(pool))?.spec.ips).toEqual(['10.1.0.10-10.1.0.11']);

    c.ac.abort();
    await w.create(workload('Deployment', 'default', 'later', { replicas: 1, annotations: anno }));
    await c.settle();
    expect(await w.pools()).toHaveLength(1);
  });
});
