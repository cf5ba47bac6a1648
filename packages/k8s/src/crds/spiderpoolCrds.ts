// The six CustomResourceDefinitions of spiderpool.spidernet.io/v2beta1 (reference §1), built from TS: same
// plurals, short names, category, scope, status subresource and printer columns as Spiderpool's chart, so
// `kubectl get sp` prints the same table against a cluster (or the emulator) using these manifests.
import {
  coordinatorSchema,
  endpointSchema,
  ipPoolSchema,
  multusConfigSchema,
  reservedIPSchema,
  subnetSchema,
} from './kindSchemas.ts';
import type { JSONSchemaProps } from './schema.ts';

export const SPIDERPOOL_GROUP = 'spiderpool.spidernet.io';
export const SPIDERPOOL_VERSION = 'v2beta1';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'number' | 'date';
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: 'Cluster' | 'Namespaced';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: { status?: Record<string, never> };
      additionalPrinterColumns?: PrinterColumn[];
    }[];
  };
}

interface CrdInput {
  kind: string;
  plural: string;
  shortName: string;
  scope: 'Cluster' | 'Namespaced';
  status: boolean;
  columns: PrinterColumn[];
  schema: JSONSchemaProps;
}

const col = (
  name: string,
  type: PrinterColumn['type'],
  jsonPath: string,
  description: string,
  priority?: number,
): PrinterColumn => ({ name, type, jsonPath, description, ...(priority === undefined ? {} : { priority }) });

const crd = (i: CrdInput): CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${i.plural}.${SPIDERPOOL_GROUP}` },
  spec: {
    group: SPIDERPOOL_GROUP,
    names: {
      kind: i.kind,
      listKind: `${i.kind}List`,
      plural: i.plural,
      singular: i.kind.toLowerCase(),
      shortNames: [i.shortName],
      categories: ['spiderpool'],
    },
    scope: i.scope,
    versions: [
      {
        name: SPIDERPOOL_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: i.schema },
        ...(i.status ? { subresources: { status: {} } } : {}),
        ...(i.columns.length > 0 ? { additionalPrinterColumns: i.columns } : {}),
      },
    ],
  },
});

const poolCounts = (): PrinterColumn[] => [
  col('VERSION', 'string', '.spec.ipVersion', 'ipVersion'),
  col('SUBNET', 'string', '.spec.subnet', 'subnet'),
  col('ALLOCATED-IP-COUNT', 'integer', '.status.allocatedIPCount', 'allocatedIPCount'),
  col('TOTAL-IP-COUNT', 'integer', '.status.totalIPCount', 'totalIPCount'),
];

const endpointIP = (field: string): string => `.status.current.ips[0].${field}`;

/** The six CRDs, in the order of reference §1. Each call returns fresh objects. */
export const spiderpoolCRDs = (): CustomResourceDefinition[] => [
  crd({
    kind: 'SpiderIPPool',
    plural: 'spiderippools',
    shortName: 'sp',
    scope: 'Cluster',
    status: true,
    schema: ipPoolSchema(),
    columns: [
      ...poolCounts(),
      col('DEFAULT', 'boolean', '.spec.default', 'default'),
      col('DISABLE', 'boolean', '.spec.disable', 'disable', 10),
      col('NodeName', 'string', '.spec.nodeName', 'nodeName', 10),
      col('MultusName', 'string', '.spec.multusName', 'multusName', 10),
      col(
        'APP-NAMESPACE',
        'string',
        ".spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']",
        'AppNamespace',
        10,
      ),
    ],
  }),
  crd({
    kind: 'SpiderSubnet',
    plural: 'spidersubnets',
    shortName: 'ss',
    scope: 'Cluster',
    status: true,
    schema: subnetSchema(),
    columns: poolCounts(),
  }),
  crd({
    kind: 'SpiderEndpoint',
    plural: 'spiderendpoints',
    shortName: 'se',
    scope: 'Namespaced',
    status: false,
    schema: endpointSchema(),
    columns: [
      col('INTERFACE', 'string', endpointIP('interface'), 'interface'),
      col('IPV4POOL', 'string', endpointIP('ipv4Pool'), 'ipv4Pool'),
      col('IPV4', 'string', endpointIP('ipv4'), 'ipv4'),
      col('IPV6POOL', 'string', endpointIP('ipv6Pool'), 'ipv6Pool'),
      col('IPV6', 'string', endpointIP('ipv6'), 'ipv6'),
      col('NODE', 'string', '.status.current.node', 'node'),
    ],
  }),
  crd({
    kind: 'SpiderReservedIP',
    plural: 'spiderreservedips',
    shortName: 'sr',
    scope: 'Cluster',
    status: false,
    schema: reservedIPSchema(),
    columns: [col('VERSION', 'string', '.spec.ipVersion', 'ipVersion')],
  }),
  crd({
    kind: 'SpiderMultusConfig',
    plural: 'spidermultusconfigs',
    shortName: 'smc',
    scope: 'Namespaced',
    status: false,
    schema: multusConfigSchema(),
    columns: [],
  }),
  crd({
    kind: 'SpiderCoordinator',
    plural: 'spidercoordinators',
    shortName: 'scc',
    scope: 'Cluster',
    status: true,
    schema: coordinatorSchema(),
    columns: [],
  }),
];
