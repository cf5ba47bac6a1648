// The CNI spec versions the `spiderpool` IPAM plugin speaks (Spiderpool: 0.3.0, 0.3.1, 0.4.0, 1.0.0; here also
// 1.1.0 with STATUS and GC) and the answer to CNI_COMMAND=VERSION.
import { err, ok, type Result } from 'neverthrow';
import { type CniError, incompatibleVersion } from './errors.ts';

export const SUPPORTED_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;
export type CniVersion = (typeof SUPPORTED_CNI_VERSIONS)[number];
export const LATEST_CNI_VERSION: CniVersion = '1.0.0';

export const isSupportedVersion = (v: string): v is CniVersion =>
  (SUPPORTED_CNI_VERSIONS as readonly string[]).includes(v);

export const checkVersion = (v: string): Result<CniVersion, CniError> =>
  isSupportedVersion(v) ? ok(v) : err(incompatibleVersion(v, SUPPORTED_CNI_VERSIONS));

/** Result shapes before 1.0.0 carry `ips[].version`. */
export const ipsCarryVersion = (v: CniVersion): boolean => v.startsWith('0.');

export interface VersionInfo {
  cniVersion: string;
  supportedVersions: string[];
}

/**
 * CNI_COMMAND=VERSION: stdin may hold `{"cniVersion": "…"}` (the runtime's version); it is echoed back when it
 * is a string, otherwise the latest supported version is given. Unreadable stdin is not an error here: the
 * runtime only wants the list.
 */
export const versionInfo = (stdin: string): VersionInfo => {
  let requested: unknown;
  try {
    requested = (JSON.parse(stdin) as { cniVersion?: unknown } | null)?.cniVersion;
  } catch {
    requested = undefined;
  }
  return {
    cniVersion: typeof requested === 'string' && requested !== '' ? requested : LATEST_CNI_VERSION,
    supportedVersions: [...SUPPORTED_CNI_VERSIONS],
  };
};
