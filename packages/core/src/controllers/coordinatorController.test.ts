import { describe, expect, it } from 'vitest';
import type { KubeObject, SpiderCoordinator } from '../api/index.ts';
import { createAbortLatch } from '../election/abortLatch.ts';
import { createKindRegistry, createMemoryStore, defaultKindInfos, type Store } from '../store/index.ts';
import { reconcileCoordinator, runCoordinatorController } from './coordinatorController.ts';

const KUBEADM = `apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
  serviceSubnet: 10.96.0.0/12,fd00:10:96::/108
`;

const store = (kinds?: string[]) =>
  createMemoryStore({
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...(kinds ? { kinds: createKindRegistry(defaultKindInfos.filter((k) => !kinds.includes(k.kind))) } : {}),
  });

const put = async (s: Store, o: KubeObject) => (await s.create(o))._unsafeUnwrap();

const coordinator = (podCIDRType: string): SpiderCoordinator => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderCoordinator',
  metadata: { name: 'default' },
  spec: { podCIDRType },
});

const cm = (name: string, data: Record<string, string>, namespace = 'kube-system'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data }) as KubeObject;

const kubeadm = () => cm('kubeadm-config', { ClusterConfiguration: KUBEADM });

const status = async (s: Store, opts = {}) => {
  (await reconcileCoordinator(s, opts))._unsafeUnwrap();
  return (await s.get<SpiderCoordinator>({ kind: 'SpiderCoordinator', name: 'default' }))._unsafeUnwrap()
    .status;
};

describe('SpiderCoordinator status discovery', () => {
  it('cluster: Pod and Service CIDRs from kubeadm-config', async () => {
    const s = store();
    await put(s, coordinator('cluster'));
    await put(s, kubeadm());
    expect(await status(s)).toEqual({
      phase: 'Synced',
      overlayPodCIDR: ['10.244.0.0/16', 'fd00:10:244::/56'],
      serviceCIDR: ['10.96.0.0/12', 'fd00:10:96::/108'],
    });
  });

  it('cluster: falls back to the kube-controller-manager Pod flags (command, then args)', async () => {
    const s = store();
    await put(s, coordinator('cluster'));
    await put(s, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'kube-controller-manager-master',
        namespace: 'kube-system',
        labels: { component: 'kube-controller-manager' },
      },
      spec: {
        containers: [
          {
            name: 'kube-controller-manager',
            command: [
              'kube-controller-manager',
              '--allocate-node-cidrs=true',
              '--cluster-cidr=10.233.64.0/18',
            ],
            args: ['--service-cluster-ip-range=10.233.0.0/18,bogus'],
          },
        ],
      },
    } as KubeObject);
    expect(await status(s)).toEqual({
      phase: 'Synced',
      overlayPodCIDR: ['10.233.64.0/18'],
      serviceCIDR: ['10.233.0.0/18'],
    });
  });

  it('NotReady with a reason when neither kubeadm-config nor kube-controller-manager exists', async () => {
    const s = store();
    await put(s, coordinator('none'));
    expect(await status(s)).toEqual({
      phase: 'NotReady',
      reason: 'No kube-controller-manager pod found, unable to get clusterCIDR',
      overlayPodCIDR: [],
      serviceCIDR: [],
    });
  });

  it('none: no overlay CIDR; ServiceCIDR objects (networking.k8s.io/v1) win over kubeadm-config', async () => {
    const s = store();
    await put(s, coordinator('none'));
    await put(s, kubeadm());
    await put(s, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name: 'kubernetes' },
      spec: { cidrs: ['10.100.0.0/16'] },
    } as KubeObject);
    expect(await status(s)).toEqual({ phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.100.0.0/16'] });
  });

  it('calico: enabled, live IPPools; NotReady when Calico is not installed', async () => {
    const s = store();
    await put(s, coordinator('calico'));
    await put(s, kubeadm());
    const pool = (name: string, cidr: string, disabled = false) =>
      ({
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPPool',
        metadata: { name },
        spec: { cidr, disabled },
      }) as KubeObject;
    await put(s, pool('default-ipv4-ippool', '10.222.0.0/16'));
    await put(s, pool('off', '10.223.0.0/16', true));
    expect((await status(s))?.overlayPodCIDR).toEqual(['10.222.0.0/16']);

    const bare = store(['IPPool']);
    await put(bare, coordinator('calico'));
    await put(bare, kubeadm());
    expect(await status(bare)).toMatchObject({ phase: 'NotReady', overlayPodCIDR: [], serviceCIDR: [] });
    expect((await status(bare))?.reason).toContain('Calico');
  });

  it('cilium: cluster-pool CIDRs, multi-pool CiliumPodIPPools, kubernetes mode, and unsupported modes', async () => {
    const s = store();
    await put(s, coordinator('cilium'));
    await put(s, kubeadm());
    expect((await status(s))?.reason).toContain('cilium-config');
    const cfg = await put(
      s,
      cm('cilium-config', { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': '10.0.0.0/8' }),
    );
    expect(await status(s)).toEqual({
      phase: 'Synced',
      overlayPodCIDR: ['10.0.0.0/8'],
      serviceCIDR: ['10.96.0.0/12', 'fd00:10:96::/108'],
    });

    const set = async (data: Record<string, string>) => {
      const cur = (
        await s.get<KubeObject>({ kind: 'ConfigMap', namespace: 'kube-system', name: 'cilium-config' })
      )._unsafeUnwrap();
      await s.update({ ...cur, data } as KubeObject);
    };
    void cfg;
    await set({ ipam: 'multi-pool' });
    await put(s, {
      apiVersion: 'cilium.io/v2alpha1',
      kind: 'CiliumPodIPPool',
      metadata: { name: 'default' },
      spec: {
        ipv4: { cidrs: ['10.10.0.0/16'], maskSize: 24 },
        ipv6: { cidrs: ['fd10::/104'], maskSize: 120 },
      },
    } as KubeObject);
    expect((await status(s))?.overlayPodCIDR).toEqual(['10.10.0.0/16', 'fd10::/104']);
    await set({ ipam: 'kubernetes' });
    expect((await status(s))?.overlayPodCIDR).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    await set({ ipam: 'eni' });
    expect(await status(s)).toMatchObject({ phase: 'NotReady', reason: 'unsupported CIlium IPAM mode: eni' });
  });

  it('auto: resolved from the default CNI name when given, else from what the cluster runs', async () => {
    const s = store();
    await put(s, coordinator('auto'));
    await put(s, kubeadm());
    expect((await status(s))?.overlayPodCIDR).toEqual([]);
    expect((await status(s, { defaultCniName: 'flannel' }))?.overlayPodCIDR).toEqual([
      '10.244.0.0/16',
      'fd00:10:244::/56',
    ]);
    await put(s, cm('cilium-config', { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': '10.1.0.0/16' }));
    expect((await status(s))?.overlayPodCIDR).toEqual(['10.1.0.0/16']);
  });

  it('the controller follows source changes: NotReady -> Synced when kubeadm-config appears', async () => {
    const s = store();
    await put(s, coordinator('cluster'));
    const stop = createAbortLatch();
    const seen: string[] = [];
    const handle = (
      await runCoordinatorController(s, {
        signal: stop.signal,
        sleep: (_ms, sig) => new Promise((r) => sig.addEventListener('abort', () => r(), { once: true })),
        onReconciled: (_o, st) => seen.push(st?.phase ?? '-'),
      })
    )._unsafeUnwrap();
    const settle = async () => {
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 1));
        await handle.idle();
      }
    };
    await settle();
    expect(seen.at(-1)).toBe('NotReady');
    await put(s, kubeadm());
    await settle();
    expect(seen.at(-1)).toBe('Synced');
    const got = (
      await s.get<SpiderCoordinator>({ kind: 'SpiderCoordinator', name: 'default' })
    )._unsafeUnwrap();
    expect(got.status?.overlayPodCIDR).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    stop.abort();
  });
});
