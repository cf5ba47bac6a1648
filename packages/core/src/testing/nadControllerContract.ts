// The NAD controller's behaviour as a suite any Store can run (MemoryStore in core, KubernetesStore against
// the emulator in k8s): SMC create -> NAD with a controller ownerReference; SMC update -> NAD updated; NAD
// edited or deleted by someone -> repaired / re-created; SMC deleted -> NAD deleted; a foreign NAD of the
// same name -> left untouched and reported as NadNotOwned.
import { describe, expect, it } from 'vitest';
import type { NetworkAttachmentDefinition, SpiderMultusConfig } from '../api/index.ts';
import { runNadController } from '../controllers/nadController.ts';
import type { NadControllerError } from '../controllers/nadErrors.ts';
import { createAbortLatch } from '../election/abortLatch.ts';
import type { Store } from '../store/port.ts';
import { eventually } from './eventually.ts';

export interface NadControllerContractOptions {
  makeStore: () => Store | Promise<Store>;
  /** Namespace the objects go in (must exist where the store checks). Default "default". */
  namespace?: string;
  /** Longest wait for the controller to converge (default 5000 ms). */
  timeoutMs?: number;
}

const smc = (namespace: string, name: string, master: string): SpiderMultusConfig => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name, namespace },
  spec: { cniType: 'macvlan', macvlan: { master: [master] } },
});

export const describeNadControllerContract = (label: string, options: NadControllerContractOptions): void => {
  const ns = options.namespace ?? 'default';
  const timeout = options.timeoutMs ?? 5000;
  const run = Math.random().toString(36).slice(2, 7);
  let n = 0;
  const unique = (p: string) => `${p}-${run}-${++n}`;

  const start = async () => {
    const store = await options.makeStore();
    const stop = createAbortLatch();
    const errors: { key: string; error: NadControllerError }[] = [];
    const r = await runNadController(store, {
      signal: stop.signal,
      onError: (key, error) => errors.push({ key, error }),
    });
    if (r.isErr()) expect.fail(r.error.message);
    const nad = async (name: string) => {
      const g = await store.get<NetworkAttachmentDefinition>({
        kind: 'NetworkAttachmentDefinition',
        namespace: ns,
        name,
      });
      return g.isOk() ? g.value : undefined;
    };
    return { store, stop, errors, nad };
  };

  describe(`NAD controller on ${label}`, () => {
    it('creates the NAD of a new SMC with a controller ownerReference, updates it with the SMC', async () => {
      const { store, stop, nad } = await start();
      const name = unique('smc');
      const created = (await store.create(smc(ns, name, 'eth0')))._unsafeUnwrap();
      const first = await eventually(() => nad(name), timeout);
      expect(first.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'spiderpool.spidernet.io/v2beta1',
          kind: 'SpiderMultusConfig',
          name,
          uid: created.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(first.spec?.config).toContain('"master":"eth0"');

      const latest = (
        await store.get<SpiderMultusConfig>({ kind: 'SpiderMultusConfig', namespace: ns, name })
      )._unsafeUnwrap();
      const changed = { ...latest, spec: { cniType: 'macvlan', macvlan: { master: ['eth1'] } } };
      (await store.update(changed))._unsafeUnwrap();
      const second = await eventually(async () => {
        const x = await nad(name);
        return x?.spec?.config?.includes('"master":"eth1"') ? x : undefined;
      }, timeout);
      expect(second.metadata.uid).toBe(first.metadata.uid);
      stop.abort();
    });

    it('re-creates a deleted NAD and repairs an edited one', async () => {
      const { store, stop, nad } = await start();
      const name = unique('smc');
      await store.create(smc(ns, name, 'eth0'));
      const first = await eventually(() => nad(name), timeout);
      (await store.delete({ kind: 'NetworkAttachmentDefinition', namespace: ns, name }))._unsafeUnwrap();
      const again = await eventually(async () => {
        const x = await nad(name);
        return x && x.metadata.uid !== first.metadata.uid ? x : undefined;
      }, timeout);
      expect(again.spec?.config).toBe(first.spec?.config);

      (await store.update({ ...again, spec: { config: '{"hacked":true}' } }))._unsafeUnwrap();
      const repaired = await eventually(async () => {
        const x = await nad(name);
        return x?.spec?.config === first.spec?.config ? x : undefined;
      }, timeout);
      expect(repaired.metadata.uid).toBe(again.metadata.uid);
      stop.abort();
    });

    it('deletes the NAD with its SMC', async () => {
      const { store, stop, nad } = await start();
      const name = unique('smc');
      await store.create(smc(ns, name, 'eth0'));
      await eventually(() => nad(name), timeout);
      (await store.delete({ kind: 'SpiderMultusConfig', namespace: ns, name }))._unsafeUnwrap();
      await eventually(async () => ((await nad(name)) === undefined ? true : undefined), timeout);
      stop.abort();
    });

    it('never overwrites a NAD it does not own: NadNotOwned, and takes the name once the NAD is gone', async () => {
      const { store, stop, nad, errors } = await start();
      const name = unique('smc');
      const foreign: NetworkAttachmentDefinition = {
        apiVersion: 'k8s.cni.cncf.io/v1',
        kind: 'NetworkAttachmentDefinition',
        metadata: { name, namespace: ns },
        spec: { config: '{"cniVersion":"0.3.1","name":"theirs","type":"bridge"}' },
      };
      const theirs = (await store.create(foreign))._unsafeUnwrap();
      await store.create(smc(ns, name, 'eth0'));
      const e = await eventually(async () => errors.find((x) => x.key === `${ns}/${name}`), timeout);
      expect(e.error._tag).toBe('NadNotOwned');
      const still = await nad(name);
      expect(still?.metadata.resourceVersion).toBe(theirs.metadata.resourceVersion);
      expect(still?.spec?.config).toBe(foreign.spec?.config);

      (await store.delete({ kind: 'NetworkAttachmentDefinition', namespace: ns, name }))._unsafeUnwrap();
      const ours = await eventually(async () => {
        const x = await nad(name);
        return x?.metadata.ownerReferences?.[0]?.kind === 'SpiderMultusConfig' ? x : undefined;
      }, timeout);
      expect(ours.spec?.config).toContain('macvlan');
      stop.abort();
    });
  });
};
