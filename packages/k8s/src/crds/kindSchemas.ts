// openAPIV3Schema of each Spiderpool v2beta1 kind (reference §1): field names, types, enums, minimums and
// the CRD defaults of Spiderpool's chart. Every field of §1 is typed; `metadata` is `type: object` as in
// every CRD (the API server owns its schema). No sub-object needs x-kubernetes-preserve-unknown-fields.
import {
  arr,
  bool,
  int,
  int32,
  int64,
  type JSONSchemaProps,
  labelSelector,
  obj,
  routes,
  str,
  strings,
} from './schema.ts';

const ipVersion = (): JSONSchemaProps => int64({ enum: [4, 6] });

const topLevel = (
  spec: JSONSchemaProps | undefined,
  status: JSONSchemaProps | undefined,
  required: string[],
) =>
  obj(
    {
      apiVersion: str(),
      kind: str(),
      metadata: { type: 'object' },
      ...(spec ? { spec } : {}),
      ...(status ? { status } : {}),
    },
    required,
  );

const poolLikeSpec = (): Record<string, JSONSchemaProps> => ({
  ipVersion: ipVersion(),
  subnet: str(),
  ips: strings(),
  excludeIPs: strings(),
  gateway: str(),
  routes: routes(),
});

export const ipPoolSchema = (): JSONSchemaProps =>
  topLevel(
    obj(
      {
        ...poolLikeSpec(),
        podAffinity: labelSelector(),
        namespaceAffinity: labelSelector(),
        namespaceName: strings(),
        nodeAffinity: labelSelector(),
        nodeName: strings(),
        multusName: strings(),
        default: bool({ default: false }),
        disable: bool({ default: false }),
      },
      ['subnet'],
    ),
    obj({
      allocatedIPs: str(),
      totalIPCount: int64({ minimum: 0 }),
      allocatedIPCount: int64({ minimum: 0 }),
    }),
    [],
  );

export const subnetSchema = (): JSONSchemaProps =>
  topLevel(
    obj(poolLikeSpec(), ['subnet']),
    obj({
      controlledIPPools: str(),
      totalIPCount: int64({ minimum: 0 }),
      allocatedIPCount: int64({ minimum: 0 }),
    }),
    [],
  );

const ipAllocationDetail = (): JSONSchemaProps =>
  obj(
    {
      interface: str(),
      ipv4: str(),
      ipv6: str(),
      ipv4Pool: str(),
      ipv6Pool: str(),
      vlan: int64({ default: 0, minimum: 0, maximum: 4094 }),
      ipv4Gateway: str(),
      ipv6Gateway: str(),
      cleanGateway: bool(),
      routes: routes(),
      mac: str(),
    },
    ['interface'],
  );

export const endpointSchema = (): JSONSchemaProps =>
  topLevel(
    undefined,
    obj(
      {
        current: obj({ uid: str(), node: str(), ips: arr(ipAllocationDetail()) }, ['ips', 'node', 'uid']),
        ownerControllerType: str(),
        ownerControllerName: str(),
      },
      ['current', 'ownerControllerName', 'ownerControllerType'],
    ),
    [],
  );

export const reservedIPSchema = (): JSONSchemaProps =>
  topLevel(obj({ ipVersion: ipVersion(), ips: strings() }), undefined, []);

/** CoordinatorSpec with the CRD defaults (shared by SpiderCoordinator.spec and SMC.spec.coordinator). */
export const coordinatorSpecSchema = (): JSONSchemaProps =>
  obj({
    mode: str({ enum: ['auto', 'underlay', 'overlay', 'disabled'], default: 'auto' }),
    podCIDRType: str({ enum: ['auto', 'cluster', 'calico', 'cilium', 'none'] }),
    hijackCIDR: strings(),
    policyRoutes: routes(),
    podMACPrefix: str(),
    tunePodRoutes: bool({ default: true }),
    podDefaultRouteNIC: str(),
    hostRuleTable: int({ default: 500 }),
    podRPFilter: int({ default: 0 }),
    // The chart sets no minimum on txQueueLen (the webhook refuses negatives) and no format on vethMTU (Go int).
    txQueueLen: int({ default: 0 }),
    vethLinkAddress: str(),
    vethMTU: int({ minimum: 1 }),
  });

const spiderpoolPools = (): JSONSchemaProps =>
  obj({
    ipv4: strings(),
    ipv6: strings(),
    matchMasterSubnet: bool({ default: false, enum: [true, false] }),
  });

const bond = (): JSONSchemaProps =>
  obj({ name: str(), mode: int32({ minimum: 0, maximum: 6 }), options: str() }, ['mode', 'name']);

const vlanID = (): JSONSchemaProps => int32({ minimum: 0, maximum: 4094 });
const trunkID = (): JSONSchemaProps => int({ minimum: 0, maximum: 4094 });

const vlanBacked = (extra: Record<string, JSONSchemaProps> = {}): JSONSchemaProps =>
  obj(
    {
      master: strings(),
      mtu: int32({ default: 0, minimum: 0 }),
      vlanID: vlanID(),
      bond: bond(),
      rdmaResourceName: str(),
      ippools: spiderpoolPools(),
      ...extra,
    },
    ['master'],
  );

export const multusConfigSchema = (): JSONSchemaProps =>
  topLevel(
    obj({
      cniType: str({
        enum: ['macvlan', 'ipvlan', 'vlan', 'sriov', 'ovs', 'ib-sriov', 'ipoib', 'custom'],
        default: 'custom',
      }),
      macvlan: vlanBacked(),
      ipvlan: vlanBacked(),
      vlan: vlanBacked({ vlanMode: str({ enum: ['manual', 'auto'], default: 'manual' }) }),
      sriov: obj({
        resourceName: str(),
        vlanID: vlanID(),
        mtu: int32({ default: 0, minimum: 0 }),
        minTxRateMbps: int({ minimum: 0 }),
        maxTxRateMbps: int({ minimum: 0 }),
        rdmaIsolation: bool({ default: false }),
        ippools: spiderpoolPools(),
      }),
      ibsriov: obj({
        resourceName: str(),
        pkey: str(),
        linkState: str({ enum: ['auto', 'enable', 'disable'], default: 'enable' }),
        rdmaIsolation: bool({ default: true }),
        enableIbKubernetes: bool({ default: false }),
        ippools: spiderpoolPools(),
      }),
      ipoib: obj({ master: str(), ippools: spiderpoolPools() }),
      ovs: obj(
        {
          bridge: str(),
          vlan: int32(),
          // Trunk IDs are Go *int32 without a format marker in the chart.
          trunk: arr(obj({ minID: trunkID(), maxID: trunkID(), id: trunkID() })),
          deviceID: str(),
          ippools: spiderpoolPools(),
        },
        ['bridge'],
      ),
      enableCoordinator: bool({ default: true }),
      disableIPAM: bool({ default: false }),
      coordinator: coordinatorSpecSchema(),
      chainCNIJsonData: strings(),
      customCNI: str(),
    }),
    undefined,
    [],
  );

export const coordinatorSchema = (): JSONSchemaProps =>
  topLevel(
    coordinatorSpecSchema(),
    obj(
      {
        phase: str(),
        reason: str(),
        overlayPodCIDR: strings(),
        serviceCIDR: strings(),
      },
      ['phase'],
    ),
    [],
  );
