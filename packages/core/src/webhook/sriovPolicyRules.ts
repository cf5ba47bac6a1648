// Field rules of SriovNetworkNodePolicy.spec that need nothing but the object (the operator's
// staticValidateSriovNetworkNodePolicy plus the CRD's enums and bounds), as FieldErrors with paths.
import { parsePfName } from '../api/sriov/pfName.ts';
import { nicSelectorIsEmpty } from '../api/sriov/render.ts';
import {
  SRIOV_DEVICE_TYPES,
  SRIOV_ESWITCH_MODES,
  SRIOV_LINK_TYPES,
  type SriovNetworkNodePolicy,
} from '../api/sriov/types.ts';
import { type FieldError, index, invalid, notSupported, required } from './fieldError.ts';

export const RESOURCE_NAME_PATTERN = /^[a-zA-Z0-9_]+$/;
const HEX_ID = /^[0-9a-fA-F]{4}$/;
const PCI_ADDRESS = /^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/;
/** IP_MAX_MTU of Linux; the CRD only sets minimum 1. */
export const MAX_MTU = 65535;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

const rangeRule = (
  field: string,
  v: unknown,
  min: number,
  max: number | undefined,
): FieldError | undefined => {
  if (!isInt(v)) return invalid(field, v, 'must be an integer');
  if (v < min) return invalid(field, v, `must be greater than or equal to ${min}`);
  if (max !== undefined && v > max) return invalid(field, v, `must be less than or equal to ${max}`);
  return undefined;
};

const push = (out: FieldError[], e: FieldError | undefined): void => {
  if (e !== undefined) out.push(e);
};

const nicSelectorRules = (p: SriovNetworkNodePolicy, out: FieldError[]): void => {
  const s = p.spec.nicSelector;
  const path = 'spec.nicSelector';
  if (typeof s !== 'object' || s === null || nicSelectorIsEmpty(s)) {
    out.push(
      required(
        path,
        `at least one of these parameters (vendor, deviceID, pfNames, rootDevices or netFilter) has to be defined in nicSelector in CR ${p.metadata.name}`,
      ),
    );
    return;
  }
  if (s.vendor !== undefined && !HEX_ID.test(s.vendor))
    out.push(invalid(`${path}.vendor`, s.vendor, 'must be a 4-digit hex vendor id (e.g. "15b3")'));
  if (s.deviceID !== undefined && !HEX_ID.test(s.deviceID))
    out.push(invalid(`${path}.deviceID`, s.deviceID, 'must be a 4-digit hex device id (e.g. "1017")'));
  for (const [i, d] of (s.rootDevices ?? []).entries())
    if (!PCI_ADDRESS.test(d))
      out.push(invalid(index(`${path}.rootDevices`, i), d, 'must be a PCI address like 0000:04:00.0'));
  const numVfs = isInt(p.spec.numVfs) ? p.spec.numVfs : undefined;
  for (const [i, item] of (s.pfNames ?? []).entries()) {
    const parsed = parsePfName(item, numVfs);
    if (parsed.isErr()) out.push(invalid(index(`${path}.pfNames`, i), item, parsed.error.message));
  }
};

/** Every rule that needs only the policy; `[]` when admitted. */
export function validateSriovPolicySpec(p: SriovNetworkNodePolicy): FieldError[] {
  const out: FieldError[] = [];
  const spec = p.spec;
  if (typeof spec !== 'object' || spec === null) return [required('spec', 'a policy needs a spec')];
  if (typeof spec.resourceName !== 'string' || !RESOURCE_NAME_PATTERN.test(spec.resourceName))
    out.push(
      invalid(
        'spec.resourceName',
        spec.resourceName,
        `resource name ${JSON.stringify(spec.resourceName ?? '')} contains invalid characters, the accepted syntax of the regular expressions is: "^[a-zA-Z0-9_]+$"`,
      ),
    );
  push(out, rangeRule('spec.numVfs', spec.numVfs, 0, undefined));
  if (spec.priority !== undefined) push(out, rangeRule('spec.priority', spec.priority, 0, 99));
  if (spec.mtu !== undefined) push(out, rangeRule('spec.mtu', spec.mtu, 1, MAX_MTU));
  nicSelectorRules(p, out);
  if (spec.deviceType !== undefined && !(SRIOV_DEVICE_TYPES as readonly string[]).includes(spec.deviceType))
    out.push(notSupported('spec.deviceType', spec.deviceType, SRIOV_DEVICE_TYPES));
  if (spec.linkType !== undefined && !(SRIOV_LINK_TYPES as readonly string[]).includes(spec.linkType))
    out.push(notSupported('spec.linkType', spec.linkType, SRIOV_LINK_TYPES));
  if (
    spec.eSwitchMode !== undefined &&
    !(SRIOV_ESWITCH_MODES as readonly string[]).includes(spec.eSwitchMode)
  )
    out.push(notSupported('spec.eSwitchMode', spec.eSwitchMode, SRIOV_ESWITCH_MODES));
  if (spec.deviceType === 'vfio-pci' && spec.isRdma === true)
    out.push(
      invalid(
        'spec.isRdma',
        true,
        "'deviceType: vfio-pci' conflicts with 'isRdma: true'; Set 'deviceType' to (string)'netdevice' Or Set 'isRdma' to (bool)'false'",
      ),
    );
  if (spec.linkType?.toLowerCase() === 'ib' && spec.isRdma !== true)
    out.push(invalid('spec.isRdma', spec.isRdma ?? false, "'linkType: ib or IB' requires 'isRdma: true'"));
  if (spec.nodeSelector !== undefined) {
    for (const [k, v] of Object.entries(spec.nodeSelector))
      if (typeof v !== 'string') out.push(invalid(`spec.nodeSelector[${k}]`, v, 'must be a string'));
  }
  return out;
}
