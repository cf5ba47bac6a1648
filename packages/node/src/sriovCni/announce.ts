// Announcing the Pod's addresses as soon as its interface comes up, so peers that cached the MAC of a previous
// Pod with the same IP (a re-created StatefulSet Pod, a fixed-IP Deployment) switch at once instead of after
// their ARP/ND entries expire: `arp_notify=1` makes the kernel send a gratuitous ARP for the interface's
// IPv4 addresses on link up, `ndisc_notify=1` an unsolicited neighbour advertisement for IPv6. Both are
// per-interface sysctls of the Pod netns, so they are set after the move and before link up (attach's
// `beforeConfigure` hook), in one `nsenter --net=<pod> sh` process. The interface name is passed as an
// argument, never spliced into the script.
import type { ResultAsync } from 'neverthrow';
import { errAsync, okAsync, ResultAsync as RA } from 'neverthrow';
import { type CommandRunner, type IprouteError, spawnRunner, toIprouteError } from '../iproute/index.ts';

const SCRIPT =
  'echo 1 > "/proc/sys/net/ipv4/conf/$1/arp_notify" || exit 1; ' +
  'if [ -d "/proc/sys/net/ipv6/conf/$1" ]; then echo 1 > "/proc/sys/net/ipv6/conf/$1/ndisc_notify" || exit 1; fi';

/** A netns as a path nsenter can open (names live under /var/run/netns). */
export const netnsPath = (netns: string): string => (netns.includes('/') ? netns : `/var/run/netns/${netns}`);

/** The argv of the announce step. */
export const announceCommand = (podNetns: string, ifName: string): string[] => [
  'nsenter',
  `--net=${netnsPath(podNetns)}`,
  'sh',
  '-c',
  SCRIPT,
  'sh',
  ifName,
];

/** A `beforeConfigure` hook for attachInterface that sets arp_notify / ndisc_notify of the Pod interface. */
export const announceHook =
  (podNetns: string, runner: CommandRunner = spawnRunner) =>
  (ifName: string): ResultAsync<void, IprouteError> => {
    const [file = 'nsenter', ...args] = announceCommand(podNetns, ifName);
    return RA.fromSafePromise(runner({ file, args, timeoutMs: 10_000 })).andThen((o) =>
      o.exitCode === 0 && o.errno === undefined
        ? okAsync(undefined)
        : errAsync(toIprouteError([file, ...args], o)),
    );
  };
