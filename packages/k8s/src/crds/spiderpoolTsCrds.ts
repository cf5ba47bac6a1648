// spiderpool-ts's own CustomResourceDefinitions, in their own group (spiderpool-ts.io) so Spiderpool's group
// keeps exactly Spiderpool's kinds: SpiderIPBlock, the blocks of a pool in the blocks format (ADR 0029).
import { KIND_SPIDER_IP_BLOCK, SPIDERPOOL_TS_GROUP } from '@spiderpool-ts/core';
import { arr, int, obj, str } from './schema.ts';
import type { CustomResourceDefinition, PrinterColumn } from './spiderpoolCrds.ts';

export const SPIDERPOOL_TS_VERSION = 'v1alpha1';

const col = (
  name: string,
  type: PrinterColumn['type'],
  jsonPath: string,
  description: string,
  priority?: number,
) => ({
  name,
  type,
  jsonPath,
  description,
  ...(priority === undefined ? {} : { priority }),
});

/** One record: [ordinal, pod, podUid, nic, node], integers and strings (int-or-string items). */
const allocationTuple = () => ({ type: 'array' as const, items: { 'x-kubernetes-int-or-string': true } });

/** SpiderIPBlock (cluster-scoped, no status subresource: one update writes a block's records). */
export const spiderpoolTsCRDs = (): CustomResourceDefinition[] => [
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `spideripblocks.${SPIDERPOOL_TS_GROUP}` },
    spec: {
      group: SPIDERPOOL_TS_GROUP,
      names: {
        kind: KIND_SPIDER_IP_BLOCK,
        listKind: `${KIND_SPIDER_IP_BLOCK}List`,
        plural: 'spideripblocks',
        singular: 'spideripblock',
        shortNames: ['sib'],
        categories: ['spiderpool'],
      },
      scope: 'Cluster',
      versions: [
        {
          name: SPIDERPOOL_TS_VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: obj(
              {
                apiVersion: str(),
                kind: str(),
                metadata: { type: 'object' },
                spec: obj({ pool: str(), index: str(), cidr: str(), node: str() }, [
                  'pool',
                  'index',
                  'cidr',
                  'node',
                ]),
                status: obj({ allocatedCount: int({ minimum: 0 }), allocations: arr(allocationTuple()) }),
              },
              ['spec'],
            ),
          },
          additionalPrinterColumns: [
            col('POOL', 'string', '.spec.pool', 'pool'),
            col('CIDR', 'string', '.spec.cidr', 'cidr'),
            col('NODE', 'string', '.spec.node', 'node'),
            col('ALLOCATED-IP-COUNT', 'integer', '.status.allocatedCount', 'allocatedCount'),
          ],
        },
      ],
    },
  },
];
