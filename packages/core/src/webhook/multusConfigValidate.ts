// SpiderMultusConfig validating webhook (pkg/multuscniconfig/multusconfig_validate.go). Like Spiderpool, the
// first violated rule is reported, so the lists hold at most one error. Field paths are Spiderpool's own
// (`spec.macvlanConfig`, `spec.sriovConfig`, `spec.customCniTypeConfig`, ...).

import {
  ANNO_NETWORK_RESOURCE_INJECT,
  ANNO_RDMA_RESOURCE_INJECT,
  ANNO_SMC_CNI_VERSION,
  ANNO_SMC_CR_NAME,
  KIND_SPIDER_MULTUS_CONFIG,
  SUPPORTED_CNI_VERSIONS,
} from '../api/constants.ts';
import { isDNS1123Subdomain } from '../api/labelValidation.ts';
import type { OwnerReference } from '../api/meta.ts';
import type { SpiderMultusConfig } from '../api/multusConfig.ts';
import type { ClusterSettings } from './clusterSettings.ts';
import type { FieldError } from './fieldError.ts';
import { invalid } from './fieldError.ts';
import { validateCniTypeConfig } from './multusConfigCniRules.ts';

export interface MultusConfigValidationContext {
  /** NetworkAttachmentDefinitions that exist, keyed `namespace/name`, with their owners. */
  readonly netAttachDefs: ReadonlyMap<string, { readonly ownerReferences?: readonly OwnerReference[] }>;
  /** Not read by any SMC rule today; carried for symmetry with the other kinds. */
  readonly settings?: ClusterSettings;
}

const ANNOTATIONS = 'metadata.annotations';

function validateAnnotations(
  smc: SpiderMultusConfig,
  ctx: MultusConfigValidationContext,
): FieldError | undefined {
  const annotations = smc.metadata.annotations ?? {};
  const ns = smc.metadata.namespace ?? '';
  const custom = annotations[ANNO_SMC_CR_NAME];
  if (custom !== undefined) {
    const errs = isDNS1123Subdomain(custom);
    if (errs.length > 0) {
      return invalid(
        ANNOTATIONS,
        annotations,
        `invalid custom net-attach-def resource name, err: [${errs.join(' ')}]`,
      );
    }
  }
  const nadName = custom ?? smc.metadata.name;
  const existing = ctx.netAttachDefs.get(`${ns}/${nadName}`);
  for (const ref of existing?.ownerReferences ?? []) {
    if (ref.kind === KIND_SPIDER_MULTUS_CONFIG && ref.name !== smc.metadata.name) {
      return invalid(
        ANNOTATIONS,
        annotations,
        `the net-attach-def ${ns}/${nadName} already exists and is managed by SpiderMultusConfig ${ns}/${ref.name}.`,
      );
    }
  }
  const version = annotations[ANNO_SMC_CNI_VERSION];
  if (version !== undefined && !(SUPPORTED_CNI_VERSIONS as readonly string[]).includes(version)) {
    return invalid(ANNOTATIONS, annotations, `unsupported CNI version ${version}`);
  }
  return undefined;
}

function validateCrNameUnchanged(old: SpiderMultusConfig, smc: SpiderMultusConfig): FieldError | undefined {
  const before = old.metadata.annotations?.[ANNO_SMC_CR_NAME];
  const after = smc.metadata.annotations?.[ANNO_SMC_CR_NAME];
  if (before !== undefined && after !== undefined && before !== after) {
    return invalid(
      ANNOTATIONS,
      before,
      `it's unsupported to change customized Multus net-attach-def resource name from '${before}' to '${after}'`,
    );
  }
  if (before === undefined && after !== undefined) {
    return invalid(
      ANNOTATIONS,
      after,
      `it's unsupported to changed Multus net-attach-def '${old.metadata.name}' to customized name '${after}'`,
    );
  }
  return undefined;
}

function validate(
  old: SpiderMultusConfig | undefined,
  smc: SpiderMultusConfig,
  ctx: MultusConfigValidationContext,
): FieldError[] {
  const e =
    (old !== undefined ? validateCrNameUnchanged(old, smc) : undefined) ??
    validateAnnotations(smc, ctx) ??
    validateCniTypeConfig(smc, {
      rdma: Object.hasOwn(smc.metadata.annotations ?? {}, ANNO_RDMA_RESOURCE_INJECT),
      network: Object.hasOwn(smc.metadata.annotations ?? {}, ANNO_NETWORK_RESOURCE_INJECT),
    });
  return e === undefined ? [] : [e];
}

export function validateMultusConfigCreate(
  smc: SpiderMultusConfig,
  ctx: MultusConfigValidationContext,
): FieldError[] {
  return validate(undefined, smc, ctx);
}

export function validateMultusConfigUpdate(
  old: SpiderMultusConfig,
  smc: SpiderMultusConfig,
  ctx: MultusConfigValidationContext,
): FieldError[] {
  return validate(old, smc, ctx);
}

/** Spiderpool registers no delete rule for SpiderMultusConfig. */
export function validateMultusConfigDelete(
  _smc: SpiderMultusConfig,
  _ctx: MultusConfigValidationContext,
): FieldError[] {
  return [];
}
