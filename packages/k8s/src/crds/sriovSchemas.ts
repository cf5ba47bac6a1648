// openAPIV3Schema of sriov-network-operator's SriovNetworkNodePolicy and SriovNetworkNodeState
// (sriovnetwork.openshift.io/v1): field names, enums and bounds of its kubebuilder markers (priority 0..99,
// mtu >= 1, numVfs >= 0, deviceType netdevice|vfio-pci defaulting to netdevice, linkType, eSwitchMode).
// The PF/VF status casing is the operator's (`totalvfs`, `Vfs`, `Vlan`).
import { arr, bool, int, type JSONSchemaProps, obj, str, stringMap, strings } from './schema.ts';

const topLevel = (spec: JSONSchemaProps, status: JSONSchemaProps): JSONSchemaProps =>
  obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec, status });

const nicSelector = (): JSONSchemaProps =>
  obj({
    vendor: str({ description: 'The vendor hex code of SR-IoV device.' }),
    deviceID: str({ description: 'The device hex code of SR-IoV device.' }),
    rootDevices: strings({ description: 'PCI address of SR-IoV PF.' }),
    pfNames: strings({ description: 'Name of SR-IoV PF, optionally with a VF range: <pf>#<first>-<last>.' }),
    netFilter: str({ description: 'Infrastructure Networking selection filter.' }),
  });

export const sriovPolicySchema = (): JSONSchemaProps =>
  topLevel(
    obj(
      {
        resourceName: str({ description: 'SRIOV Network device plugin endpoint resource name' }),
        nodeSelector: { ...stringMap(), description: 'NodeSelector selects the nodes to be configured' },
        priority: int({ minimum: 0, maximum: 99, description: 'Priority of the policy, lower is stronger.' }),
        mtu: int({ minimum: 1, description: 'MTU of VF' }),
        numVfs: int({ minimum: 0, description: 'Number of VFs for each PF' }),
        nicSelector: nicSelector(),
        deviceType: str({ enum: ['netdevice', 'vfio-pci'], default: 'netdevice' }),
        isRdma: bool(),
        needVhostNet: bool(),
        linkType: str({ enum: ['eth', 'ETH', 'ib', 'IB'] }),
        eSwitchMode: str({ enum: ['legacy', 'switchdev'] }),
        vdpaType: str({ enum: ['virtio', 'vhost'] }),
        excludeTopology: bool(),
        externallyManaged: bool(),
      },
      ['nicSelector', 'numVfs', 'resourceName'],
    ),
    obj({}),
  );

const vfGroup = (): JSONSchemaProps =>
  obj(
    {
      resourceName: str(),
      deviceType: str(),
      vfRange: str(),
      policyName: str(),
      mtu: int(),
      isRdma: bool(),
      vdpaType: str(),
    },
    [],
  );

const specInterface = (): JSONSchemaProps =>
  obj(
    {
      pciAddress: str(),
      numVfs: int(),
      mtu: int(),
      name: str(),
      linkType: str(),
      eSwitchMode: str(),
      vfGroups: arr(vfGroup()),
      externallyManaged: bool(),
    },
    ['pciAddress'],
  );

const virtualFunction = (): JSONSchemaProps =>
  obj(
    {
      name: str(),
      mac: str(),
      assigned: str(),
      driver: str(),
      pciAddress: str(),
      vendor: str(),
      deviceID: str(),
      Vlan: int(),
      mtu: int(),
      vfID: int(),
      representorName: str(),
      guid: str(),
    },
    ['pciAddress', 'vfID'],
  );

const interfaceExt = (): JSONSchemaProps =>
  obj(
    {
      name: str(),
      mac: str(),
      driver: str(),
      pciAddress: str(),
      vendor: str(),
      deviceID: str(),
      mtu: int(),
      numVfs: int(),
      linkSpeed: str(),
      linkType: str(),
      linkAdminState: str(),
      eSwitchMode: str(),
      totalvfs: int(),
      Vfs: arr(virtualFunction()),
    },
    ['pciAddress'],
  );

export const sriovNodeStateSchema = (): JSONSchemaProps =>
  topLevel(
    obj({ interfaces: arr(specInterface()) }),
    obj({
      interfaces: arr(interfaceExt()),
      syncStatus: str({ enum: ['InProgress', 'Succeeded', 'Failed'] }),
      lastSyncError: str(),
      // spiderpool-ts: evictions the drain could not do (ADR 0016).
      blockedEvictions: arr(obj({ pod: str(), namespace: str(), reason: str() }, ['namespace', 'pod'])),
    }),
  );
