// ADD: deviceID -> VF netdev (sysfs) -> lock the VF -> refuse if another container owns it -> IPAM ADD ->
// move the VF into the Pod as CNI_IFNAME with MAC/MTU/addresses/routes (arp_notify/ndisc_notify set before
// link up) -> PF-side VF settings where supported -> state record + owner record -> result. Each step that
// fails undoes the ones before it, newest first, IPAM DEL included, so the host, the Pod and the pool are as
// they were.

import { stat } from 'node:fs/promises';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { buildCniResult, type CniResult } from '../cni/result.ts';
import { type AttachRecord, attachInterface, detachInterface } from '../plumbing/index.ts';
import { announceHook, netnsPath } from './announce.ts';
import { type Ctx, callIpam, releaseIp } from './context.ts';
import { resolveDeviceId } from './deviceId.ts';
import { plumbing, type SriovCniError, vfBusy } from './errors.ts';
import { decodeIpamResult } from './ipamResult.ts';
import type { SriovCniVersion } from './netconf.ts';
import {
  ownerPath,
  readOwner,
  readRecord,
  recordPath,
  removeFile,
  type SriovStateRecord,
  STATE_RECORD_VERSION,
  type VfOwner,
  writeJsonAtomic,
} from './stateRecord.ts';
import { lockVf } from './vfLock.ts';
import { lookupVf, type VfInfo } from './vfLookup.ts';
import { applyVfSettings, desiredVfSettings, restoreVfSettings, type VfSettings } from './vfSettings.ts';

/** The ADD result: CniResult's shape (1.1.0 results are 1.0.0's) under the netconf's cniVersion. */
export type SriovResult = Omit<CniResult, 'cniVersion'> & { cniVersion: SriovCniVersion };

/** Runs `body` holding the VF's lock; the lock is released whatever happens. */
export const withVfLock = <T>(
  ctx: Ctx,
  pci: string,
  body: () => ResultAsync<T, SriovCniError>,
): ResultAsync<T, SriovCniError> =>
  lockVf(ctx.stateDir, pci, ctx.world.lockTimeoutMs).andThen((lock) =>
    ResultAsync.fromSafePromise(
      (async () => {
        const r = await body();
        await lock.release();
        return r;
      })(),
    ).andThen((r) => r),
  );

const detachBack = (ctx: Ctx, rec: AttachRecord) =>
  detachInterface({ iproute: ctx.world.iproute, ...rec, original: rec.original }).map(() => undefined);

/** Undo of everything after IPAM ADD, then IPAM DEL; answers the original error. */
const undoAdd = (
  ctx: Ctx,
  e: SriovCniError,
  done: { attach?: AttachRecord; vf?: VfInfo; vfOriginal?: VfSettings },
): ResultAsync<never, SriovCniError> => {
  const steps = async () => {
    if (done.vf !== undefined && done.vfOriginal !== undefined) {
      const r = await restoreVfSettings(ctx.world.iproute, done.vf, done.vfOriginal);
      if (r.isErr()) ctx.log(`undo: ${r.error.message}`);
    }
    if (done.attach !== undefined) {
      const r = await detachBack(ctx, done.attach);
      if (r.isErr()) ctx.log(`undo: ${r.error.message}`);
    }
    await releaseIp(ctx);
  };
  return ResultAsync.fromSafePromise(steps()).andThen(() => errAsync(e));
};

/**
 * Whether the container named by a VF's owner record is gone: no record, or its netns no longer exists (the
 * Pod was deleted and its DEL has not come yet; a real VF is back in the root netns, and the device plugin may
 * hand it to the next Pod). That owner's late DEL then finds another owner and leaves the VF alone.
 */
const ownerIsStale = (ctx: Ctx, owner: VfOwner): ResultAsync<boolean, SriovCniError> =>
  readRecord(ctx.stateDir, owner.containerID, owner.ifName).andThen((rec) =>
    rec === undefined
      ? okAsync(true)
      : ResultAsync.fromSafePromise(
          stat(netnsPath(rec.netns)).then(
            () => false,
            () => true,
          ),
        ),
  );

const addLocked = (ctx: Ctx, vf: VfInfo): ResultAsync<SriovResult, SriovCniError> => {
  const { env, conf } = ctx;
  const netns = env.netns ?? '';
  const me = { containerID: env.containerID, ifName: env.ifName };
  return readOwner(ctx.stateDir, vf.pciAddress)
    .andThen((owner) =>
      owner !== undefined && (owner.containerID !== me.containerID || owner.ifName !== me.ifName)
        ? ownerIsStale(ctx, owner).andThen((stale) => {
            if (!stale) return errAsync(vfBusy(vf.pciAddress, `${owner.containerID}/${owner.ifName}`));
            ctx.log(
              `VF ${vf.pciAddress}: previous owner ${owner.containerID}/${owner.ifName} has no netns; taken over`,
            );
            return okAsync(undefined);
          })
        : okAsync(undefined),
    )
    .andThen(() => readRecord(ctx.stateDir, me.containerID, me.ifName))
    .andThen((existing) =>
      existing === undefined
        ? okAsync(undefined)
        : errAsync(vfBusy(vf.pciAddress, `${me.containerID}/${me.ifName} (ADD again without DEL)`)),
    )
    .andThen(() => callIpam(ctx, 'ADD'))
    .andThen((answer) =>
      decodeIpamResult(conf.ipam.type, env.ifName, answer.result).asyncAndThen((ipam) => {
        const routes = ipam.routes.map((r) => ({ dst: r.dst, gw: r.gw ?? '' }));
        return attachInterface({
          iproute: ctx.world.iproute,
          podNetns: netns,
          hostIfName: vf.netdev,
          podIfName: env.ifName,
          addresses: ipam.ips.map((i) => i.address),
          routes,
          ...(conf.mtu === undefined ? {} : { mtu: conf.mtu }),
          ...(conf.mac === undefined ? {} : { mac: conf.mac }),
          beforeConfigure: announceHook(netns, ctx.world.runner),
        })
          .orElse((e) => undoAdd(ctx, plumbing('attach', e), {}))
          .andThen((attach) =>
            applyVfSettings(ctx.world.iproute, vf, desiredVfSettings(conf))
              .orElse((e) => undoAdd(ctx, e, { attach }))
              .andThen((vfs) => {
                if (!vfs.applied) ctx.log(`PF-side VF settings skipped: ${vfs.reason}`);
                const vfOriginal = vfs.applied ? vfs.original : undefined;
                const record: SriovStateRecord = {
                  version: STATE_RECORD_VERSION,
                  containerID: me.containerID,
                  ifName: me.ifName,
                  netns,
                  deviceID: vf.pciAddress,
                  vfIndex: vf.vfIndex,
                  attach,
                  createdAt: new Date().toISOString(),
                  ...(vf.pfNetdev === undefined ? {} : { pfNetdev: vf.pfNetdev }),
                  ...(vfOriginal === undefined ? {} : { vfOriginal }),
                };
                const done = { attach, vf, ...(vfOriginal === undefined ? {} : { vfOriginal }) };
                return writeJsonAtomic(recordPath(ctx.stateDir, me.containerID, me.ifName), record)
                  .andThen(() => writeJsonAtomic(ownerPath(ctx.stateDir, vf.pciAddress), me))
                  .orElse((e) =>
                    removeFile(recordPath(ctx.stateDir, me.containerID, me.ifName))
                      .orElse(() => okAsync(undefined))
                      .andThen(() => undoAdd(ctx, e, done)),
                  )
                  .map(() => {
                    const mac = conf.mac ?? attach.original.mac;
                    const version = conf.cniVersion === '1.1.0' ? '1.0.0' : conf.cniVersion;
                    const result = buildCniResult(version, ipam, {
                      interfaces: [
                        { name: env.ifName, ...(mac === undefined ? {} : { mac }), sandbox: netns },
                      ],
                    });
                    return { ...result, cniVersion: conf.cniVersion };
                  });
              }),
          );
      }),
    );
};

export const cmdAdd = (ctx: Ctx): ResultAsync<SriovResult, SriovCniError> =>
  resolveDeviceId({
    ...(ctx.conf.deviceID === undefined ? {} : { fromConf: ctx.conf.deviceID }),
    args: ctx.env.args,
    ...(ctx.conf.resourceName === undefined ? {} : { resourceName: ctx.conf.resourceName }),
    deviceInfoDir: ctx.deviceInfoDir,
  })
    .andThen((pci) => lookupVf(ctx.sysfsRoot, pci))
    .andThen((vf) => withVfLock(ctx, vf.pciAddress, () => addLocked(ctx, vf)));
