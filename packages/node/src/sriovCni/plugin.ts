// The `sriov` CNI plugin as a function of (environment, stdin, world) -> (stdout, exit code). VERSION
// answers locally; ADD / DEL / CHECK / STATUS / GC as in add.ts, del.ts, gcStatus.ts. Every failure is a CNI
// error object on stdout with exit code 1; diagnostics go to `log` (stderr in the executable).
import { errAsync, type ResultAsync } from 'neverthrow';
import { type EnvSource, parseCniEnv } from '../cni/env.ts';
import {
  type CniError,
  type CniErrorJson,
  cniErrorCode,
  internalError,
  invalidEnv,
  toCniErrorJson,
} from '../cni/errors.ts';
import { LATEST_CNI_VERSION } from '../cni/version.ts';
import { showLink } from '../plumbing/index.ts';
import { cmdAdd } from './add.ts';
import { type CmdEnv, type Ctx, callIpam, dirsOf, type SriovWorld } from './context.ts';
import { cmdDel } from './del.ts';
import { isCniError, type SriovCniError, stateIo } from './errors.ts';
import { cmdGc, cmdStatus } from './gcStatus.ts';
import { parseSriovNetConf, SRIOV_CNI_VERSIONS } from './netconf.ts';
import { readRecord } from './stateRecord.ts';

export interface SriovPluginInput {
  env: EnvSource;
  stdin: string;
  world: SriovWorld;
}

export interface SriovPluginOutput {
  stdout: string;
  exitCode: number;
}

const print = (v: unknown): string => `${JSON.stringify(v, null, 4)}\n`;

const rawVersion = (stdin: string): string => {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown } | null)?.cniVersion;
    return typeof v === 'string' && v !== '' ? v : LATEST_CNI_VERSION;
  } catch {
    return LATEST_CNI_VERSION;
  }
};

/** The CNI error object of any sriov plugin error (lock timeout: 11, "try again later"). */
export const toSriovErrorJson = (cniVersion: string, e: SriovCniError): CniErrorJson => {
  if (isCniError(e)) return toCniErrorJson(cniVersion, e);
  const code = e._tag === 'LockTimeout' ? 11 : 999;
  return { cniVersion, code, msg: e.message, details: e._tag };
};

const fail = (cniVersion: string, e: SriovCniError): SriovPluginOutput => ({
  stdout: print(toSriovErrorJson(cniVersion, e)),
  exitCode: 1,
});

const versionInfo = (stdin: string) => ({
  cniVersion: rawVersion(stdin),
  supportedVersions: [...SRIOV_CNI_VERSIONS],
});

/** CHECK: the record exists and the interface is in the Pod netns; then the IPAM plugin's CHECK. */
const cmdCheck = (ctx: Ctx): ResultAsync<void, SriovCniError> =>
  readRecord(ctx.stateDir, ctx.env.containerID, ctx.env.ifName)
    .andThen((rec) =>
      rec === undefined
        ? errAsync(stateIo(ctx.stateDir, `no record for ${ctx.env.containerID}/${ctx.env.ifName}`))
        : showLink(ctx.world.iproute, ctx.env.ifName, { netns: ctx.env.netns }).mapErr(
            (e): SriovCniError =>
              stateIo(ctx.env.netns ?? '', `${ctx.env.ifName} not in the Pod netns: ${e.message}`),
          ),
    )
    .andThen(() => callIpam(ctx, 'CHECK'))
    .map(() => undefined);

const run = async (input: SriovPluginInput): Promise<SriovPluginOutput> => {
  const log = input.world.log ?? (() => {});
  const command = input.env.CNI_COMMAND;
  if (command === 'VERSION') return { stdout: print(versionInfo(input.stdin)), exitCode: 0 };
  const parsedConf = parseSriovNetConf(input.stdin);
  if (parsedConf.isErr()) return fail(rawVersion(input.stdin), parsedConf.error);
  const conf = parsedConf.value;
  const dirs = dirsOf(conf, input.env);
  if (command === 'STATUS' || command === 'GC') {
    if (conf.cniVersion !== '1.1.0')
      return fail(
        conf.cniVersion,
        invalidEnv('CNI_COMMAND', command, `needs cniVersion 1.1.0, config has ${conf.cniVersion}`),
      );
    if (command === 'STATUS') {
      const r = await cmdStatus(dirs);
      return r.isOk()
        ? { stdout: '', exitCode: 0 }
        : { stdout: print({ ...toSriovErrorJson(conf.cniVersion, r.error), code: 50 }), exitCode: 1 };
    }
    const path = (input.env.CNI_PATH ?? '').split(':').filter((p) => p !== '');
    const env: CmdEnv = {
      command: 'DEL',
      containerID: 'gc',
      ifName: 'gc',
      path,
      args: [],
      pod: { namespace: '', name: '' },
    };
    const r = await cmdGc({
      env,
      rawEnv: input.env,
      stdin: input.stdin,
      conf,
      world: input.world,
      ...dirs,
      log,
    });
    return r.isOk() ? { stdout: '', exitCode: 0 } : fail(conf.cniVersion, r.error);
  }
  const parsedEnv = parseCniEnv(input.env);
  if (parsedEnv.isErr()) return fail(conf.cniVersion, parsedEnv.error);
  if (parsedEnv.value.command === 'VERSION') return { stdout: print(versionInfo(input.stdin)), exitCode: 0 };
  // STATUS / GC were answered above; parseCniEnv reads them as a bare { command, path } (CNI 1.1.0).
  if (!('pod' in parsedEnv.value))
    return fail(conf.cniVersion, invalidEnv('CNI_COMMAND', command ?? '', 'unexpected'));
  const ctx: Ctx = {
    env: parsedEnv.value,
    rawEnv: input.env,
    stdin: input.stdin,
    conf,
    world: input.world,
    ...dirs,
    log,
  };
  switch (ctx.env.command) {
    case 'ADD': {
      const r = await cmdAdd(ctx);
      return r.isOk() ? { stdout: print(r.value), exitCode: 0 } : fail(conf.cniVersion, r.error);
    }
    case 'DEL': {
      const r = await cmdDel(ctx);
      return r.isOk() ? { stdout: '', exitCode: 0 } : fail(conf.cniVersion, r.error);
    }
    case 'CHECK': {
      const r = await cmdCheck(ctx);
      return r.isOk() ? { stdout: '', exitCode: 0 } : fail(conf.cniVersion, r.error);
    }
  }
};

/** One invocation; never rejects (a throw anywhere becomes CNI error 999). */
export const runSriovPlugin = (input: SriovPluginInput): Promise<SriovPluginOutput> =>
  run(input).catch((e: unknown) => {
    const error: CniError = internalError(e instanceof Error ? e.message : String(e));
    return {
      stdout: print({ ...toCniErrorJson(rawVersion(input.stdin), error), code: cniErrorCode(error) }),
      exitCode: 1,
    };
  });
