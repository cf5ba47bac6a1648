// Everything one invocation of the sriov plugin works with: the parsed environment and config, the resolved
// directories, and the injectable world (iproute2, command runner, plugin invoker, log).
import { okAsync, type ResultAsync } from 'neverthrow';
import type { CniEnv, EnvSource } from '../cni/env.ts';
import type { CniError } from '../cni/errors.ts';
import {
  type InvokePluginOptions,
  invokePlugin,
  type PluginAnswer,
  type PluginCommand,
} from '../cni/invokePlugin.ts';
import type { CommandRunner, Iproute } from '../iproute/index.ts';
import { DEFAULT_DEVICE_INFO_DIR } from './deviceId.ts';
import type { SriovNetConf } from './netconf.ts';
import { DEFAULT_STATE_DIR } from './stateRecord.ts';

export type Invoke = (opts: InvokePluginOptions) => ResultAsync<PluginAnswer, CniError>;

export interface SriovWorld {
  iproute: Iproute;
  runner: CommandRunner;
  invoke?: Invoke;
  /** One line of diagnostics (the executable writes it to stderr). */
  log?: (line: string) => void;
  lockTimeoutMs?: number;
  /** Deadline of the IPAM plugin call, default 60 s. */
  ipamTimeoutMs?: number;
}

export type CmdEnv = Extract<CniEnv, { command: 'ADD' | 'DEL' | 'CHECK' }>;

export interface Ctx {
  env: CmdEnv;
  rawEnv: EnvSource;
  stdin: string;
  conf: SriovNetConf;
  world: SriovWorld;
  sysfsRoot: string;
  stateDir: string;
  deviceInfoDir: string;
  log: (line: string) => void;
}

/** The netconf key wins, then the environment variable, then the default. */
export const dirsOf = (
  conf: Pick<SriovNetConf, 'sysfsRoot' | 'stateDir' | 'deviceInfoDir'>,
  env: EnvSource,
) => ({
  sysfsRoot: conf.sysfsRoot ?? (env.SPIDERPOOL_SYSFS_ROOT || '/sys'),
  stateDir: conf.stateDir ?? (env.SPIDERPOOL_SRIOV_STATE_DIR || DEFAULT_STATE_DIR),
  deviceInfoDir: conf.deviceInfoDir ?? (env.SPIDERPOOL_DEVICE_INFO_DIR || DEFAULT_DEVICE_INFO_DIR),
});

/** The IPAM plugin (`ipam.type` in CNI_PATH), with this invocation's environment and stdin. */
export const callIpam = (ctx: Ctx, command: PluginCommand): ResultAsync<PluginAnswer, CniError> =>
  (ctx.world.invoke ?? invokePlugin)({
    type: ctx.conf.ipam.type,
    command,
    cniPath: ctx.env.path,
    env: ctx.rawEnv,
    stdin: ctx.stdin,
    ...(ctx.world.ipamTimeoutMs === undefined ? {} : { timeoutMs: ctx.world.ipamTimeoutMs }),
  });

/** IPAM DEL as the undo of an ADD: its failure is logged, the ADD's own error is what the runtime gets. */
export const releaseIp = (ctx: Ctx): ResultAsync<void, never> =>
  callIpam(ctx, 'DEL')
    .map(() => undefined)
    .orElse((e) => {
      ctx.log(`IPAM DEL after a failed ADD failed (the IP is left to GC): ${e.message}`);
      return okAsync(undefined);
    });
