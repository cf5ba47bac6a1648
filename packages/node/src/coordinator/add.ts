// ADD in underlay mode for the Pod's first NIC (Spiderpool's CmdAdd with firstInvoke), each change undone
// newest first when a later one fails, so a failed ADD leaves the host and the Pod as they were:
//   discover  Pod links + NIC addresses, host IPs for the Pod, the shared host rule            (read only)
//   detect    IP conflict (arping -D) and gateway reachability (arping) when enabled           (read only)
//   nic       podMACPrefix MAC, txQueueLen, Pod rp_filter                        undo: old values back
//   veth      veth<cid[:11]> (host) ↔ veth0 (Pod), MTU vethMTU, both up, vethLinkAddress   undo: del link
//   neigh     static neighbours: Pod IPs → veth0 MAC on the host veth, host IPs → host veth MAC in the Pod
//   routes    Pod: host IPs /32 dev veth0; hijack CIDRs via the host IP dev veth0 (src = the NIC's IP)
//   host      `from all lookup <hostRuleTable> pref 1000` if absent (undo: del), Pod IP /32 dev host veth
//             in that table (gone with the link)
//   reply     Pod mangle rules (mark NEW from veth0, save / restore connmark), `fwmark 0x1 lookup 100`,
//             table 100 default via the host IP dev veth0                               undo: -D / del
//   policy    policyRoutes via gw dev <NIC> in the main table                             undo: del
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { invalidNetConf } from '../cni/errors.ts';
import type { CniEnv } from '../cni/index.ts';
import { type IprouteError, toIprouteError } from '../iproute/index.ts';
import { detect } from './detect.ts';
import {
  familyOf,
  hasRule,
  type PodAddress,
  readAddresses,
  readHostIPs,
  readPodLinks,
  readSysctl,
} from './discover.ts';
import { type CoordinatorError, setupFailed, unsupported } from './errors.ts';
import { type Applier, createApplier, type Exec } from './exec.ts';
import {
  HOST_RULE_PREF,
  hostVethName,
  MANGLE_RULES,
  MARK,
  macFromPrefix,
  POD_VETH,
  REPLY_TABLE,
} from './names.ts';
import type { CoordinatorConf } from './netconf.ts';
import { moveRoutes } from './routeMove.ts';

type Cmd = Exclude<CniEnv, { command: 'VERSION' }>;

const seq = <T>(items: readonly T[], f: (t: T) => ResultAsync<unknown, CoordinatorError>) =>
  items.reduce<ResultAsync<unknown, CoordinatorError>>(
    (acc, t) => acc.andThen(() => f(t)),
    okAsync(undefined),
  );

const notFoundIn = (what: string, netns: string | undefined): IprouteError => ({
  _tag: 'NotFound',
  command: [],
  exitCode: null,
  stderr: '',
  message: `NotFound: ${what} in netns ${netns ?? '(own)'}`,
});

const fam = (f: 4 | 6): string => `-${f}`;
const hostPrefix = (ip: string): string => `${ip}/${familyOf(ip) === 4 ? 32 : 128}`;

interface Found {
  ifName: string;
  /** The Pod's first NIC (podDefaultCniNic): it gets veth0; its routes go to main. */
  first: boolean;
  /** Policy table of an additional NIC: the number of other UP links + 98 (net1 after lo, eth0, veth0: 101). */
  table: number;
  up: boolean;
  addrs: PodAddress[];
  families: (4 | 6)[];
  hostIPs: string[];
  mac: string;
  txqlen: number;
  /** Links of the Pod (names). */
  links: string[];
}

/** The table an additional NIC's routes live in. */
export const nicTable = (links: readonly { ifname: string; up: boolean }[], ifName: string): number =>
  links.filter((l) => l.up && l.ifname !== ifName).length + 98;

const discover = (x: Exec, env: Cmd, conf: CoordinatorConf): ResultAsync<Found, CoordinatorError> =>
  readPodLinks(x)
    .mapErr((e) => setupFailed('discover', e))
    .andThen((links) => {
      const nic = links.find((l) => l.ifname === env.ifName);
      if (nic === undefined) return errAsync(setupFailed('discover', notFoundIn(env.ifName, env.netns)));
      const first = env.ifName === conf.podDefaultCniNic;
      const hasVeth = links.some((l) => l.ifname === POD_VETH);
      if (!first && !hasVeth)
        return errAsync(
          invalidNetConf(
            'podDefaultCniNic',
            `when creating interface ${env.ifName} in underlay mode, the auxiliary interface ${POD_VETH} was not created by the previous interface: please enable coordinator plugin in previous interface ${conf.podDefaultCniNic}`,
          ),
        );
      if (first && hasVeth)
        return errAsync(
          setupFailed('discover', {
            ...notFoundIn(POD_VETH, env.netns),
            _tag: 'AlreadyExists',
            message: `AlreadyExists: ${POD_VETH} already exists in the Pod netns`,
          }),
        );
      return readAddresses(x, 'pod', env.ifName)
        .andThen((addrs) =>
          readHostIPs(x, addrs).map(
            (hostIPs): Found => ({
              ifName: env.ifName,
              first,
              table: nicTable(links, env.ifName),
              up: nic.up,
              addrs,
              families: [...new Set(addrs.map((a) => a.family))],
              hostIPs,
              mac: nic.mac,
              txqlen: nic.txqlen,
              links: links.map((l) => l.ifname),
            }),
          ),
        )
        .mapErr((e) => setupFailed('discover', e));
    });

const nicSettings = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const steps: (() => ResultAsync<unknown, CoordinatorError>)[] = [];
  const first = f.addrs.find((ad) => ad.family === 4) ?? f.addrs[0];
  if (conf.podMACPrefix !== '' && first !== undefined) {
    const mac = macFromPrefix(conf.podMACPrefix, first.local);
    if (mac !== undefined && mac !== f.mac)
      steps.push(() =>
        a.apply('nic', x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'address', mac]), () =>
          x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'address', f.mac]),
        ),
      );
  }
  if (conf.txQueueLen > 0 && conf.txQueueLen !== f.txqlen)
    steps.push(() =>
      a.apply(
        'nic',
        x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'txqueuelen', String(conf.txQueueLen)]),
        () => x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'txqueuelen', String(f.txqlen)]),
      ),
    );
  if (conf.podRPFilter >= 0 && f.families.includes(4))
    for (const key of ['net.ipv4.conf.all.rp_filter', `net.ipv4.conf.${f.ifName}.rp_filter`])
      steps.push(() =>
        readSysctl(x, 'pod', key)
          .mapErr((e) => setupFailed('nic', e))
          .andThen((old) =>
            old === String(conf.podRPFilter)
              ? okAsync(undefined)
              : a.apply(
                  'nic',
                  x.run('pod', [x.programs.sysctl, '-q', '-w', `${key}=${conf.podRPFilter}`]),
                  () => x.run('pod', [x.programs.sysctl, '-q', '-w', `${key}=${old}`]),
                ),
          ),
      );
  return seq(steps, (s) => s());
};

const macOf = (x: Exec, side: 'host' | 'pod', name: string): ResultAsync<string, IprouteError> =>
  x.ipj(side, ['link', 'show', 'dev', name]).map((v) => {
    const row = Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
    return typeof row?.address === 'string' ? row.address : '';
  });

/** Host: the shared `from all lookup <table> pref 1000` (added only when absent) and `<podIP>/32 dev <veth> table`. */
const hostRuleAndRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
  hostVeth: string,
): ResultAsync<unknown, CoordinatorError> => {
  const table = String(conf.hostRuleTable);
  const pref = String(HOST_RULE_PREF);
  return seq(f.families, (family) =>
    a
      .apply('host', hasRule(x, 'host', family, { table: conf.hostRuleTable, pref: HOST_RULE_PREF }))
      .andThen((present) =>
        present
          ? okAsync(undefined)
          : a.apply(
              'host',
              x.ipx('host', [fam(family), 'rule', 'add', 'from', 'all', 'lookup', table, 'pref', pref]),
              () => x.ipx('host', [fam(family), 'rule', 'del', 'from', 'all', 'lookup', table, 'pref', pref]),
            ),
      ),
  ).andThen(() =>
    seq(f.addrs, (ad) =>
      a.apply(
        'host',
        x.ipx('host', ['route', 'replace', hostPrefix(ad.local), 'dev', hostVeth, 'table', table]),
        () => x.ipx('host', ['route', 'del', hostPrefix(ad.local), 'dev', hostVeth, 'table', table]),
      ),
    ),
  );
};

const vethAndRoutes = (
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

/** `iptables -C`: exit 0 present, 1 missing ("Bad rule"), anything else an error. */
export const checkRule = (
  x: Exec,
  bin: string,
  rule: readonly string[],
): ResultAsync<boolean, IprouteError> => {
  const argv = [bin, '-w', '5', '-t', 'mangle', '-C', ...rule];
  return x
    .probe('pod', argv)
    .andThen((c) =>
      c.exitCode === 0 || c.exitCode === 1
        ? okAsync(c.exitCode === 0)
        : errAsync(
            toIprouteError(argv, { exitCode: c.exitCode, signal: null, stdout: '', stderr: c.stderr }),
          ),
    );
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

const policyRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const table = f.first ? [] : ['table', String(f.table)];
  return seq(
    conf.policyRoutes.filter((r) => f.families.includes(familyOf(r.dst))),
    (r) =>
      a.apply('policy', x.ipx('pod', ['route', 'add', r.dst, 'via', r.gw, 'dev', f.ifName, ...table]), () =>
        x.ipx('pod', ['route', 'del', r.dst, 'via', r.gw, 'dev', f.ifName, ...table]),
      ),
  );
};

/** The NIC that holds the Pod's default route of a family in the main table, if any. */
const defaultRouteNic = (x: Exec, family: 4 | 6): ResultAsync<string | undefined, CoordinatorError> =>
  x
    .ipj('pod', [`-${family}`, 'route', 'show', 'default'])
    .map((v) => {
      const row = Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
      return typeof row?.dev === 'string' ? row.dev : undefined;
    })
    .mapErr((e) => setupFailed('tune', e));

/**
 * tunePodRoutes for an additional NIC (table T): the NIC that does not keep the default route gets
 * `from <its IPs> lookup T` and its main-table routes moved to T. `podDefaultRouteNic` empty or naming the
 * current default NIC D: the current NIC moves; naming the current NIC: D moves (the current NIC's default
 * route wins).
 */
const tuneRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const wanted = conf.podDefaultRouteNic;
  if (wanted !== '' && !f.links.includes(wanted))
    return errAsync(invalidNetConf('podDefaultRouteNic', `${wanted} does not exist in the Pod`));
  const table = String(f.table);
  return seq(f.families, (family) =>
    defaultRouteNic(x, family).andThen((d) => {
      if (d === undefined || d === f.ifName) return okAsync(undefined);
      if (wanted !== '' && wanted !== d && wanted !== f.ifName)
        return errAsync(unsupported(`podDefaultRouteNic ${wanted} (neither ${d} nor ${f.ifName})`));
      const mover = wanted === f.ifName ? d : f.ifName;
      return a
        .apply('tune', readAddresses(x, 'pod', mover))
        .andThen((addrs) =>
          seq(
            addrs.filter((ad) => ad.family === family),
            (ad) =>
              a.apply(
                'tune',
                x.ipx('pod', [fam(family), 'rule', 'add', 'from', hostPrefix(ad.local), 'lookup', table]),
                () =>
                  x.ipx('pod', [fam(family), 'rule', 'del', 'from', hostPrefix(ad.local), 'lookup', table]),
              ),
          ),
        )
        .andThen(() => moveRoutes(x, a, { family, dev: mover, from: 'main', to: table }));
    }),
  );
};

/** An additional underlay NIC (net1…): veth0 exists already; its routes go to table T. */
const additionalNic = (
  x: Exec,
  a: Applier,
  env: Cmd,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const hostVeth = hostVethName(env.containerID);
  const table = String(f.table);
  const hostIP = (family: 4 | 6) => f.hostIPs.find((h) => familyOf(h) === family);
  return (
    f.up
      ? okAsync<unknown, CoordinatorError>(undefined)
      : a.apply('nic', x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'up']), () =>
          x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'down']),
        )
  )
    .andThen(() => a.apply('neigh', macOf(x, 'pod', POD_VETH)))
    .andThen((podMac) =>
      seq(f.addrs, (ad) =>
        a.apply(
          'neigh',
          x.ipx('host', [
            'neigh',
            'replace',
            ad.local,
            'lladdr',
            podMac,
            'dev',
            hostVeth,
            'nud',
            'permanent',
          ]),
          () => x.ipx('host', ['neigh', 'del', ad.local, 'dev', hostVeth]),
        ),
      ),
    )
    .andThen(() =>
      seq(f.hostIPs, (ip) =>
        a.apply(
          'routes',
          x.ipx('pod', [
            'route',
            'replace',
            hostPrefix(ip),
            'dev',
            POD_VETH,
            'scope',
            'link',
            'table',
            table,
          ]),
          () => x.ipx('pod', ['route', 'del', hostPrefix(ip), 'dev', POD_VETH, 'table', table]),
        ),
      ),
    )
    .andThen(() =>
      seq(
        conf.hijack.filter((c) => hostIP(familyOf(c)) !== undefined),
        (cidr) => {
          const family = familyOf(cidr);
          const src = f.addrs.find((ad) => ad.family === family)?.local;
          const spec = [cidr, 'via', hostIP(family) ?? '', 'dev', POD_VETH, ...(src ? ['src', src] : [])];
          return a.apply('routes', x.ipx('pod', ['route', 'replace', ...spec, 'table', table]), () =>
            x.ipx('pod', ['route', 'del', cidr, 'dev', POD_VETH, 'table', table]),
          );
        },
      ),
    )
    .andThen(() => hostRuleAndRoutes(x, a, conf, f, hostVeth))
    .andThen(() => (conf.tunePodRoutes ? tuneRoutes(x, a, conf, f) : okAsync(undefined)));
};

/** Underlay ADD; on any failure every change made so far is undone before the error is returned. */
export const coordinatorAdd = (
  x: Exec,
  env: Cmd,
  conf: CoordinatorConf,
): ResultAsync<void, CoordinatorError> => {
  if (conf.mode === 'overlay') return errAsync(unsupported('overlay mode'));
  const a = createApplier();
  const work = discover(x, env, conf)
    .andThen((f) => detect(x, conf, f).map(() => f))
    .andThen((f) =>
      nicSettings(x, a, conf, f)
        .andThen(() => (f.first ? vethAndRoutes(x, a, env, conf, f) : additionalNic(x, a, env, conf, f)))
        .andThen(() => policyRoutes(x, a, conf, f)),
    );
  return work
    .map(() => undefined)
    .orElse((e) =>
      ResultAsync.fromSafePromise(a.rollback()).andThen((failed) =>
        errAsync(
          e._tag === 'SetupFailed' ? setupFailed(e.step, e.cause, [...e.rollbackErrors, ...failed]) : e,
        ),
      ),
    );
};
