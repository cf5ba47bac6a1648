// What the emulator serves: every kind of the Store's registry as an API resource with discovery data
// (group, version, short names, categories, verbs) and, for Spiderpool kinds, the printer columns and
// schema of the CRDs in ../crds.
import type { KindInfo, KindRegistry } from '@spiderpool-ts/core';
import type { JSONSchemaProps } from '../crds/schema.ts';
import { type PrinterColumn, spiderpoolCRDs } from '../crds/spiderpoolCrds.ts';
import { spiderpoolTsCRDs } from '../crds/spiderpoolTsCrds.ts';
import { sriovCRDs } from '../crds/sriovCrds.ts';

export interface ServedResource {
  info: KindInfo;
  group: string;
  version: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  columns: PrinterColumn[];
  schema: JSONSchemaProps | undefined;
}

/** Short names and categories of the non-Spiderpool kinds, as the real API server and Multus/KubeVirt serve them. */
const BUILTIN: Record<string, { shortNames: string[]; categories: string[] }> = {
  Pod: { shortNames: ['po'], categories: ['all'] },
  Namespace: { shortNames: ['ns'], categories: [] },
  Node: { shortNames: ['no'], categories: [] },
  ReplicaSet: { shortNames: ['rs'], categories: ['all'] },
  Deployment: { shortNames: ['deploy'], categories: ['all'] },
  StatefulSet: { shortNames: ['sts'], categories: ['all'] },
  DaemonSet: { shortNames: ['ds'], categories: ['all'] },
  Job: { shortNames: [], categories: ['all'] },
  CronJob: { shortNames: ['cj'], categories: ['all'] },
  NetworkAttachmentDefinition: { shortNames: ['net-attach-def'], categories: [] },
  PodDisruptionBudget: { shortNames: ['pdb'], categories: [] },
  VirtualMachine: { shortNames: ['vm', 'vms'], categories: ['all'] },
  VirtualMachineInstance: { shortNames: ['vmi', 'vmis'], categories: ['all'] },
  CustomResourceDefinition: { shortNames: ['crd', 'crds'], categories: ['api-extensions'] },
  MutatingWebhookConfiguration: { shortNames: [], categories: ['api-extensions'] },
  ValidatingWebhookConfiguration: { shortNames: [], categories: ['api-extensions'] },
};

const splitApiVersion = (apiVersion: string): { group: string; version: string } => {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
};

export class ResourceTable {
  readonly all: readonly ServedResource[];

  constructor(kinds: KindRegistry) {
    const crds = new Map(
      [...spiderpoolCRDs(), ...spiderpoolTsCRDs(), ...sriovCRDs()].map((c) => [c.spec.names.kind, c]),
    );
    this.all = kinds.kinds.map((info) => {
      const { group, version } = splitApiVersion(info.apiVersion);
      const crd = crds.get(info.kind);
      const v = crd?.spec.versions[0];
      const builtin = BUILTIN[info.kind];
      return {
        info,
        group,
        version,
        singular: info.kind.toLowerCase(),
        shortNames: crd?.spec.names.shortNames ?? builtin?.shortNames ?? [],
        categories: crd?.spec.names.categories ?? builtin?.categories ?? [],
        columns: v?.additionalPrinterColumns ?? [],
        schema: v?.schema.openAPIV3Schema,
      };
    });
  }

  /** The resource at `/api(s)/<groupVersion>/<plural>`. */
  find(groupVersion: string, plural: string): ServedResource | undefined {
    return this.all.find((r) => r.info.apiVersion === groupVersion && r.info.plural === plural);
  }

  byKind(kind: string): ServedResource | undefined {
    return this.all.find((r) => r.info.kind === kind);
  }

  groupVersions(): string[] {
    return [...new Set(this.all.map((r) => r.info.apiVersion))];
  }
}
