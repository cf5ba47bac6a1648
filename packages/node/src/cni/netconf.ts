// The network config on stdin as the `spiderpool` IPAM plugin reads it: `cniVersion`, `name`, the `ipam`
// section (cmd/spiderpool/cmd/cni_types.go fields) and an opaque `prevResult`. Field types are checked like
// Go's json.Unmarshal would (a wrong type is a decoding failure, code 6: e.g. `"log_file_max_size": "100"`
// as Spiderpool's own docs show it, quirk 17); semantic problems are invalid config (code 7).
import { err, ok, type Result } from 'neverthrow';
import { type Check, isBool, isInt, isObject, isString, isStringList } from '../json/checks.ts';
import { type CniError, decodeFailure, invalidNetConf } from './errors.ts';
import { type CniVersion, checkVersion } from './version.ts';

export const DEFAULT_IPAM_SOCKET_PATH = '/var/run/spidernet/spiderpool.sock';

export interface SpiderpoolIpamConf {
  type: 'spiderpool';
  default_ipv4_ippool?: string[];
  default_ipv6_ippool?: string[];
  clean_gateway?: boolean;
  match_master_subnet?: boolean;
  /** Default DEFAULT_IPAM_SOCKET_PATH. */
  ipam_unix_socket_path: string;
  log_level?: string;
  log_file_path?: string;
  log_file_max_size?: number;
  log_file_max_age?: number;
  log_file_max_count?: number;
}

export interface IpamNetConf {
  cniVersion: CniVersion;
  name: string;
  /** The main plugin's `type` (e.g. `macvlan`), if given. */
  type?: string;
  ipam: SpiderpoolIpamConf;
  prevResult?: Record<string, unknown>;
}

const IPAM_FIELDS: readonly [string, Check, string][] = [
  ['default_ipv4_ippool', isStringList, 'a list of strings'],
  ['default_ipv6_ippool', isStringList, 'a list of strings'],
  ['clean_gateway', isBool, 'a boolean'],
  ['match_master_subnet', isBool, 'a boolean'],
  ['ipam_unix_socket_path', isString, 'a string'],
  ['log_level', isString, 'a string'],
  ['log_file_path', isString, 'a string'],
  ['log_file_max_size', isInt, 'an integer'],
  ['log_file_max_age', isInt, 'an integer'],
  ['log_file_max_count', isInt, 'an integer'],
];

const parseIpam = (raw: unknown): Result<SpiderpoolIpamConf, CniError> => {
  if (raw === undefined || raw === null) return err(invalidNetConf('ipam', 'missing'));
  if (!isObject(raw)) return err(decodeFailure('ipam', 'not an object'));
  if (raw.type !== 'spiderpool')
    return err(invalidNetConf('ipam.type', `${JSON.stringify(raw.type)} is not "spiderpool"`));
  for (const [field, check, what] of IPAM_FIELDS) {
    const v = raw[field];
    // Go leaves a field at its zero value for `null`.
    if (v !== undefined && v !== null && !check(v))
      return err(decodeFailure(`ipam.${field}`, `${JSON.stringify(v)} is not ${what}`));
  }
  const out: Record<string, unknown> = { type: 'spiderpool' };
  for (const [field] of IPAM_FIELDS) {
    const v = raw[field];
    if (v !== undefined && v !== null) out[field] = v;
  }
  const socket = raw.ipam_unix_socket_path;
  out.ipam_unix_socket_path = typeof socket === 'string' && socket !== '' ? socket : DEFAULT_IPAM_SOCKET_PATH;
  return ok(out as unknown as SpiderpoolIpamConf);
};

/** Parses stdin of ADD/DEL/CHECK. */
export const parseIpamNetConf = (stdin: string): Result<IpamNetConf, CniError> => {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch (e) {
    return err(decodeFailure('stdin', e instanceof Error ? e.message : String(e)));
  }
  if (!isObject(raw)) return err(decodeFailure('stdin', 'the network config is not a JSON object'));
  // libcni reads an absent or empty cniVersion as "0.1.0" (then refused: code 1); a non-string is code 6.
  const version = raw.cniVersion === undefined || raw.cniVersion === '' ? '0.1.0' : raw.cniVersion;
  if (typeof version !== 'string') return err(decodeFailure('cniVersion', 'not a string'));
  if (raw.name !== undefined && typeof raw.name !== 'string')
    return err(decodeFailure('name', 'not a string'));
  if (raw.type !== undefined && typeof raw.type !== 'string')
    return err(decodeFailure('type', 'not a string'));
  const prev = raw.prevResult;
  if (prev !== undefined && prev !== null && !isObject(prev))
    return err(decodeFailure('prevResult', 'not an object'));
  return checkVersion(version).andThen((cniVersion) =>
    parseIpam(raw.ipam).map(
      (ipam): IpamNetConf => ({
        cniVersion,
        name: typeof raw.name === 'string' ? raw.name : '',
        ...(typeof raw.type === 'string' ? { type: raw.type } : {}),
        ipam,
        ...(isObject(prev) ? { prevResult: prev } : {}),
      }),
    ),
  );
};
