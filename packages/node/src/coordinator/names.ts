// Names and constants the coordinator shares with Spiderpool's (cmd/coordinator/cmd/cni_types.go, utils.go).

/** The Pod end of the veth pair in underlay mode. */
export const POD_VETH = 'veth0';
/** Mark bit 0 (`0x1`): connections that came in through veth0. */
export const MARK = '0x1';
/** iptables prints the mark as `0x1/0xffffffff` for `--set-xmark 0x1`. */
export const MARK_STRING = '0x00000001';
/** Pod table for replies to host-originated connections (Spiderpool: table 100 reserved). */
export const REPLY_TABLE = 100;
/** Priority of the host rule `from all lookup <hostRuleTable>`. */
export const HOST_RULE_PREF = 1000;

/** `veth` + the first 11 characters of the container ID (a Linux name has at most 15). */
export const hostVethName = (containerID: string): string => `veth${containerID.slice(0, 11)}`;

/** The mangle rules (table, chain, match) that send replies of host-originated connections back via veth0. */
export const MANGLE_RULES: readonly (readonly string[])[] = [
  [
    'PREROUTING',
    '-i',
    POD_VETH,
    '-m',
    'conntrack',
    '--ctstate',
    'NEW',
    '-j',
    'MARK',
    '--set-xmark',
    MARK_STRING,
  ],
  ['PREROUTING', '-m', 'mark', '--mark', MARK_STRING, '-j', 'CONNMARK', '--save-mark'],
  ['OUTPUT', '-j', 'CONNMARK', '--restore-mark'],
];

/** MAC from a 2-byte prefix and the last 4 bytes of the NIC's IP: `0a:1b` + 172.18.40.10 → 0a:1b:ac:12:28:0a. */
export const macFromPrefix = (prefix: string, ip: string): string | undefined => {
  const head = prefix.replace('-', ':').toLowerCase();
  let tail: number[];
  if (ip.includes(':')) {
    const bytes = ipv6Bytes(ip);
    if (bytes === undefined) return undefined;
    tail = bytes.slice(12);
  } else {
    tail = ip.split('.').map(Number);
    if (tail.length !== 4 || tail.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) return undefined;
  }
  return `${head}:${tail.map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
};

const ipv6Bytes = (ip: string): number[] | undefined => {
  const [head = '', tail = ''] = ip.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const h = parts(head);
  const t = ip.includes('::') ? parts(tail) : [];
  const fill = 8 - h.length - t.length;
  if (fill < 0 || (!ip.includes('::') && fill !== 0)) return undefined;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  const out: number[] = [];
  for (const g of groups) {
    const n = Number.parseInt(g, 16);
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out.push(n >> 8, n & 0xff);
  }
  return out;
};
