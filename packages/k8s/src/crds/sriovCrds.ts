// The two sriov-network-operator CRDs the node config daemon works with (sriovnetwork.openshift.io/v1),
// built from TS like Spiderpool's six: namespaced (the operator's namespace), status subresource, and
// printer columns so `kubectl get sriovnetworknodestates` / `sriovnetworknodepolicies` print a useful table.

import type { JSONSchemaProps } from './schema.ts';
import type { CustomResourceDefinition, PrinterColumn } from './spiderpoolCrds.ts';
import { sriovNodeStateSchema, sriovPolicySchema } from './sriovSchemas.ts';

export const SRIOV_GROUP = 'sriovnetwork.openshift.io';
export const SRIOV_VERSION = 'v1';

const col = (
  name: string,
  type: PrinterColumn['type'],
  jsonPath: string,
  description: string,
  priority?: number,
): PrinterColumn => ({ name, type, jsonPath, description, ...(priority === undefined ? {} : { priority }) });

const crd = (
  kind: string,
  plural: string,
  shortName: string,
  schema: JSONSchemaProps,
  columns: PrinterColumn[],
): CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${SRIOV_GROUP}` },
  spec: {
    group: SRIOV_GROUP,
    names: {
      kind,
      listKind: `${kind}List`,
      plural,
      singular: kind.toLowerCase(),
      shortNames: [shortName],
      categories: ['sriov'],
    },
    scope: 'Namespaced',
    versions: [
      {
        name: SRIOV_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        subresources: { status: {} },
        additionalPrinterColumns: columns,
      },
    ],
  },
});

/** SriovNetworkNodePolicy and SriovNetworkNodeState. Each call returns fresh objects. */
export const sriovCRDs = (): CustomResourceDefinition[] => [
  crd('SriovNetworkNodePolicy', 'sriovnetworknodepolicies', 'snnp', sriovPolicySchema(), [
    col('RESOURCE', 'string', '.spec.resourceName', 'resourceName'),
    col('NUMVFS', 'integer', '.spec.numVfs', 'numVfs'),
    col('PRIORITY', 'integer', '.spec.priority', 'priority'),
    col('DEVICETYPE', 'string', '.spec.deviceType', 'deviceType'),
    col('PFNAMES', 'string', '.spec.nicSelector.pfNames', 'nicSelector.pfNames', 10),
    col('MTU', 'integer', '.spec.mtu', 'mtu', 10),
    col('AGE', 'date', '.metadata.creationTimestamp', 'age'),
  ]),
  crd('SriovNetworkNodeState', 'sriovnetworknodestates', 'snns', sriovNodeStateSchema(), [
    col('SYNC STATUS', 'string', '.status.syncStatus', 'syncStatus'),
    col('PF', 'string', '.status.interfaces[0].name', 'first PF name'),
    col('NUMVFS', 'integer', '.status.interfaces[0].numVfs', 'numVfs of the first PF'),
    col('TOTALVFS', 'integer', '.status.interfaces[0].totalvfs', 'totalvfs of the first PF'),
    col('LAST SYNC ERROR', 'string', '.status.lastSyncError', 'lastSyncError', 10),
    col('AGE', 'date', '.metadata.creationTimestamp', 'age'),
  ]),
];
