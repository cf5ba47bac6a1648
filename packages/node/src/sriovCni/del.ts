// DEL, idempotent (kubelet repeats it; the netns or the record may be gone):
//   IPAM DEL first (an unreachable agent fails the DEL before anything is touched, so a retry starts over);
//   no state record: nothing else to do (an ADD that failed left nothing, or a DEL already ran);
//   otherwise, holding the VF lock: if the owner record names ANOTHER container (a late DEL of a Pod whose
//   VF was already handed on, sriov-cni #219) the VF is left alone and only this container's records go;
//   else the PF-side VF settings are restored, the VF is moved back under its host name with its MAC, MTU,
//   admin state and altnames (netns gone: a VF returns to the root netns by itself, a stand-in dies with
//   it), and the record and owner files are removed. A failed restore keeps the records for the retry.
import { okAsync, type ResultAsync } from 'neverthrow';
import { detachInterface } from '../plumbing/index.ts';
import { withVfLock } from './add.ts';
import { type Ctx, callIpam } from './context.ts';
import { plumbing, type SriovCniError } from './errors.ts';
import {
  ownerPath,
  readOwner,
  readRecord,
  recordPath,
  removeFile,
  type SriovStateRecord,
} from './stateRecord.ts';
import { restoreVfSettings } from './vfSettings.ts';

/** Restores the VF of `rec` (when this container still owns it) and removes the records. */
export const releaseVf = (ctx: Ctx, rec: SriovStateRecord): ResultAsync<void, SriovCniError> =>
  withVfLock(ctx, rec.deviceID, () => {
    const drop = () => removeFile(recordPath(ctx.stateDir, rec.containerID, rec.ifName));
    return readOwner(ctx.stateDir, rec.deviceID).andThen((owner) => {
      if (owner !== undefined && (owner.containerID !== rec.containerID || owner.ifName !== rec.ifName)) {
        ctx.log(
          `late DEL: VF ${rec.deviceID} now belongs to ${owner.containerID}/${owner.ifName}; left untouched`,
        );
        return drop();
      }
      const vf = { vfIndex: rec.vfIndex, ...(rec.pfNetdev === undefined ? {} : { pfNetdev: rec.pfNetdev }) };
      return restoreVfSettings(ctx.world.iproute, vf, rec.vfOriginal ?? {})
        .andThen(() =>
          detachInterface({ iproute: ctx.world.iproute, ...rec.attach }).mapErr((e) => plumbing('detach', e)),
        )
        .andThen((outcome) => {
          if (outcome !== 'detached') ctx.log(`DEL: ${rec.attach.podIfName} ${outcome}`);
          return removeFile(ownerPath(ctx.stateDir, rec.deviceID)).andThen(drop);
        });
    });
  });

export const cmdDel = (ctx: Ctx): ResultAsync<void, SriovCniError> =>
  callIpam(ctx, 'DEL')
    .andThen(() => readRecord(ctx.stateDir, ctx.env.containerID, ctx.env.ifName))
    .andThen((rec) => (rec === undefined ? okAsync(undefined) : releaseVf(ctx, rec)));
