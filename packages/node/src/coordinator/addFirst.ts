// ADD steps of the Pod's first NIC: the veth pair, neighbours, host /32s and hijack routes in main, the host
// rule and table routes, and the mangle / fwmark / table 100 setup that sends replies back through veth0.
import { okAsync, type ResultAsync } from 'neverthrow';
import {
  type Cmd,
  checkRule,
  type Found,
  fam,
  hostPrefix,
  hostRuleAndRoutes,
  macOf,
  seq,
} from './addShared.ts';
import { familyOf } from './discover.ts';
import type { CoordinatorError } from './errors.ts';
import type { Applier, Exec } from './exec.ts';
import { hostVethName, MANGLE_RULES, MARK, POD_VETH, REPLY_TABLE } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';

export const vethAndRoutes = (
  x: Exec,
  a: Applier,
  env: Cmd,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const hostVeth = hostVethName(env.containerID);
  const podNetns = x.netnsOf('pod') ?? '';
  const mtu = String(conf.vethMTU);
  const hostIP = (family: 4 | 6) => f.hostIPs.find((h) => familyOf(h) === family);
  return a
    .apply(
      'veth',
      x.ipx('host', [
        'link',
        'add',
        hostVeth,
        'mtu',
        mtu,
        'type',
        'veth',
        'peer',
        'name',
        POD_VETH,
        'mtu',
        mtu,
        'netns',
        podNetns,
      ]),
      () => x.ipx('host', ['link', 'del', hostVeth]),
    )
    .andThen(() => a.apply('veth', x.ipx('host', ['link', 'set', hostVeth, 'up'])))
    .andThen(() => a.apply('veth', x.ipx('pod', ['link', 'set', POD_VETH, 'up'])))
    .andThen(() =>
      conf.hostRPFilter >= 0
        ? a.apply(
            'veth',
            x.run('host', [
              x.programs.sysctl,
              '-q',
              '-w',
              `net.ipv4.conf.${hostVeth}.rp_filter=${conf.hostRPFilter}`,
            ]),
          )
        : okAsync(undefined),
    )
    .andThen(() =>
      conf.vethLinkAddress !== '' && f.families.includes(4)
        ? a.apply('veth', x.ipx('pod', ['addr', 'add', `${conf.vethLinkAddress}/32`, 'dev', POD_VETH]))
        : okAsync(undefined),
    )
    .andThen(() =>
      a.apply(
        'neigh',
        macOf(x, 'host', hostVeth).andThen((h) => macOf(x, 'pod', POD_VETH).map((p) => ({ h, p }))),
      ),
    )
    .andThen(({ h, p }) =>
      seq(f.addrs, (ad) =>
        a.apply(
          'neigh',
          x.ipx('host', ['neigh', 'replace', ad.local, 'lladdr', p, 'dev', hostVeth, 'nud', 'permanent']),
        ),
      ).andThen(() =>
        seq(f.hostIPs, (ip) =>
          a.apply(
            'neigh',
            x.ipx('pod', ['neigh', 'replace', ip, 'lladdr', h, 'dev', POD_VETH, 'nud', 'permanent']),
          ),
        ),
      ),
    )
    .andThen(() =>
      seq(f.hostIPs, (ip) =>
        a.apply(
          'routes',
          x.ipx('pod', ['route', 'replace', hostPrefix(ip), 'dev', POD_VETH, 'scope', 'link']),
        ),
      ),
    )
    .andThen(() =>
      seq(
        conf.hijack.filter((c) => hostIP(familyOf(c)) !== undefined),
        (cidr) => {
          const family = familyOf(cidr);
          const src = f.addrs.find((ad) => ad.family === family)?.local;
          return a.apply(
            'routes',
            x.ipx('pod', [
              'route',
              'replace',
              cidr,
              'via',
              hostIP(family) ?? '',
              'dev',
              POD_VETH,
              ...(src ? ['src', src] : []),
            ]),
          );
        },
      ),
    )
    .andThen(() => hostRuleAndRoutes(x, a, conf, f, hostVeth))
    .andThen(() => replyViaVeth(x, a, f));
};

/** iptables of a family in the Pod: `-C` first, `-A` only when missing, `-D` as the undo. */
const ensureMangle = (x: Exec, a: Applier, family: 4 | 6): ResultAsync<unknown, CoordinatorError> => {
  const bin = family === 4 ? x.programs.iptables : x.programs.ip6tables;
  return seq(MANGLE_RULES, (rule) =>
    a
      .apply('reply', checkRule(x, bin, rule))
      .andThen((present) =>
        present
          ? okAsync(undefined)
          : a.apply('reply', x.run('pod', [bin, '-w', '5', '-t', 'mangle', '-A', ...rule]), () =>
              x.run('pod', [bin, '-w', '5', '-t', 'mangle', '-D', ...rule]),
            ),
      ),
  );
};

const replyViaVeth = (x: Exec, a: Applier, f: Found): ResultAsync<unknown, CoordinatorError> =>
  seq(f.families, (family) => {
    const hostIP = f.hostIPs.find((h) => familyOf(h) === family);
    if (hostIP === undefined) return okAsync(undefined);
    const table = String(REPLY_TABLE);
    return ensureMangle(x, a, family)
      .andThen(() =>
        a.apply('reply', x.ipx('pod', [fam(family), 'rule', 'add', 'fwmark', MARK, 'lookup', table]), () =>
          x.ipx('pod', [fam(family), 'rule', 'del', 'fwmark', MARK, 'lookup', table]),
        ),
      )
      .andThen(() =>
        a.apply(
          'reply',
          x.ipx('pod', [
            fam(family),
            'route',
            'replace',
            'default',
            'via',
            hostIP,
            'dev',
            POD_VETH,
            'onlink',
            'table',
            table,
          ]),
        ),
      );
  });
