export type {
  KubeObject,
  LabelSelector,
  LabelSelectorOperator,
  LabelSelectorRequirement,
  ObjectMeta,
  OwnerReference,
} from './meta.ts';
