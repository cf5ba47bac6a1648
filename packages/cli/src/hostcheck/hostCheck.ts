// `spiderpool-ts host-check`: the seed's node preflight, read from files (an injectable sysfs / procfs root,
// so it runs on a fixture): a NIC's SR-IOV capability and bus-info (what `lspci -v | grep SR-IOV` and
// `ethtool -i` show), the NetworkManager drop-in that keeps NM's hands off coordinator's veths and ifacer's
// links (rendered, checked, and written with --write), and the sysctls coordinator relies on.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { discoverSriov } from '@spiderpool-ts/node';

export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

export interface HostCheckItem {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface HostCheckOptions {
  /** Default `/sys`. */
  readonly sysfsRoot: string;
  /** Default `/proc`. */
  readonly procRoot: string;
  /** NICs to check (default: every SR-IOV PF found). */
  readonly nics: readonly string[];
  /** Extra link names NM must leave alone (the seed's `IFACER_INTERFACE`: vlan / bond links). */
  readonly ifacerLinks: readonly string[];
  /** Where the drop-in lives: default `/etc/NetworkManager/conf.d/spidernet.conf`. */
  readonly nmConfPath: string;
  /** Write the drop-in (atomically) before checking it. */
  readonly write: boolean;
}

export const DEFAULT_NM_CONF = '/etc/NetworkManager/conf.d/spidernet.conf';

/** The drop-in of the seed, byte for byte: `[keyfile]` and one `unmanaged-devices` line. */
export const renderNmDropIn = (ifacerLinks: readonly string[]): string =>
  `[keyfile]\nunmanaged-devices=${['interface-name:^veth*', ...ifacerLinks.map((l) => `interface-name:${l}`)].join(';')}\n`;

const readText = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
};

async function nicChecks(o: HostCheckOptions): Promise<HostCheckItem[]> {
  const found = await discoverSriov({ sysfsRoot: o.sysfsRoot });
  if (found.isErr()) return [{ check: 'sriov', status: 'FAIL', detail: found.error.message }];
  const { pfs } = found.value;
  const items: HostCheckItem[] = [];
  const wanted = o.nics.length > 0 ? o.nics : pfs.map((p) => p.netdev ?? p.pciAddress);
  if (wanted.length === 0)
    items.push({ check: 'sriov', status: 'WARN', detail: `no SR-IOV capable NIC under ${o.sysfsRoot}` });
  for (const nic of wanted) {
    const pf = pfs.find((p) => p.netdev === nic || p.netdevs.includes(nic) || p.pciAddress === nic);
    if (pf === undefined) {
      const exists = (await readText(join(o.sysfsRoot, 'class/net', nic, 'operstate'))) !== undefined;
      items.push({
        check: `sriov ${nic}`,
        status: 'FAIL',
        detail: exists
          ? `${nic} has no SR-IOV capability (no sriov_totalvfs on its PCI device)`
          : `no network interface ${nic}`,
      });
      continue;
    }
    items.push({
      check: `sriov ${nic}`,
      status: pf.totalVfs > 0 ? 'PASS' : 'FAIL',
      detail:
        `bus-info: ${pf.pciAddress}, driver: ${pf.driver ?? '?'}, vendor:device ${pf.vendor ?? '?'}:${pf.device ?? '?'}, ` +
        `Single Root I/O Virtualization (SR-IOV): totalvfs ${pf.totalVfs}, numvfs ${pf.numVfs}`,
    });
  }
  return items;
}

async function nmCheck(o: HostCheckOptions): Promise<HostCheckItem> {
  const want = renderNmDropIn(o.ifacerLinks);
  if (o.write) {
    try {
      await mkdir(dirname(o.nmConfPath), { recursive: true });
      const tmp = `${o.nmConfPath}.tmp-${process.pid}`;
      await writeFile(tmp, want, { mode: 0o644 });
      await rename(tmp, o.nmConfPath);
    } catch (e) {
      return {
        check: 'networkmanager',
        status: 'FAIL',
        detail: `cannot write ${o.nmConfPath}: ${String(e)}`,
      };
    }
  }
  const have = await readText(o.nmConfPath);
  if (have === undefined) {
    const nm = (await readText(join(dirname(dirname(o.nmConfPath)), 'NetworkManager.conf'))) !== undefined;
    return {
      check: 'networkmanager',
      status: nm ? 'FAIL' : 'SKIP',
      detail: nm
        ? `${o.nmConfPath} missing: NetworkManager may take over coordinator's veth links (run with --write)`
        : `NetworkManager not configured on this host (no ${dirname(dirname(o.nmConfPath))}/NetworkManager.conf); drop-in would be:\n${want}`,
    };
  }
  return have === want
    ? {
        check: 'networkmanager',
        status: 'PASS',
        detail: `${o.nmConfPath} keeps NM off ^veth*${o.ifacerLinks.map((l) => `, ${l}`).join('')}`,
      }
    : { check: 'networkmanager', status: 'FAIL', detail: `${o.nmConfPath} differs from:\n${want}` };
}

async function sysctlChecks(o: HostCheckOptions): Promise<HostCheckItem[]> {
  const read = async (key: string): Promise<string | undefined> =>
    (await readText(join(o.procRoot, 'sys', key.replaceAll('.', '/'))))?.trim();
  const forward = await read('net.ipv4.ip_forward');
  const items: HostCheckItem[] = [
    forward === undefined
      ? { check: 'net.ipv4.ip_forward', status: 'FAIL', detail: `cannot read under ${o.procRoot}` }
      : {
          check: 'net.ipv4.ip_forward',
          status: forward === '1' ? 'PASS' : 'FAIL',
          detail:
            forward === '1'
              ? '1: the node routes between Pods veth0 and its uplink'
              : `${forward}: coordinator routes Pod <-> Service traffic through the host; set it to 1`,
        },
  ];
  for (const scope of ['all', 'default']) {
    const key = `net.ipv4.conf.${scope}.rp_filter`;
    const v = await read(key);
    if (v === undefined) {
      items.push({ check: key, status: 'FAIL', detail: `cannot read under ${o.procRoot}` });
      continue;
    }
    items.push({
      check: key,
      status: v === '1' ? 'FAIL' : 'PASS',
      detail:
        v === '1'
          ? '1 (strict): replies to Pods arrive on veth while the route points at the uplink; use 0 or 2 (coordinator hostRPFilter)'
          : `${v}: ${v === '0' ? 'off' : 'loose'}, as coordinator needs`,
    });
  }
  return items;
}

/** Every check, in order: NICs, NetworkManager, sysctls. */
export async function hostCheck(o: HostCheckOptions): Promise<HostCheckItem[]> {
  return [...(await nicChecks(o)), await nmCheck(o), ...(await sysctlChecks(o))];
}
