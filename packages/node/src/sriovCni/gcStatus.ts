// CNI 1.1.0 verbs. STATUS: ready when sysfs can be read and the state directory can be created (code 50,
// "plugin not available", otherwise). GC: every state record whose (containerID, ifName) is not in the
// runtime's `cni.dev/valid-attachments` is released like a DEL would (VF restored if still owned), then GC is
// passed on to the IPAM plugin (which may not know the verb: its refusal is logged, not fatal).
import { access, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { okAsync, ResultAsync } from 'neverthrow';
import { invokePlugin } from '../cni/invokePlugin.ts';
import type { Ctx } from './context.ts';
import { releaseVf } from './del.ts';
import { type SriovCniError, stateIo } from './errors.ts';
import { readRecord, type SriovStateRecord } from './stateRecord.ts';

export const cmdStatus = (ctx: Pick<Ctx, 'sysfsRoot' | 'stateDir'>): ResultAsync<void, SriovCniError> =>
  ResultAsync.fromPromise(
    (async () => {
      await access(join(ctx.sysfsRoot, 'bus', 'pci', 'devices'));
      await mkdir(ctx.stateDir, { recursive: true });
    })(),
    (e) => stateIo(ctx.sysfsRoot, e instanceof Error ? e.message : String(e)),
  );

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `cni.dev/valid-attachments` as `containerID/ifName` keys. */
export const validAttachments = (stdin: string): Set<string> => {
  const keys = new Set<string>();
  try {
    const j: unknown = JSON.parse(stdin);
    const list = isRecord(j) ? j['cni.dev/valid-attachments'] : undefined;
    if (Array.isArray(list))
      for (const a of list)
        if (isRecord(a) && typeof a.containerID === 'string' && typeof a.ifname === 'string')
          keys.add(`${a.containerID}/${a.ifname}`);
  } catch {
    // an unreadable list keeps nothing valid only if it was given; parseSriovNetConf already refused bad JSON
  }
  return keys;
};

const allRecords = (ctx: Ctx): ResultAsync<SriovStateRecord[], SriovCniError> =>
  ResultAsync.fromPromise(
    readdir(ctx.stateDir).catch(() => [] as string[]),
    (e) => stateIo(ctx.stateDir, String(e)),
  )
    .map((names) => names.filter((n) => n.endsWith('.json')))
    .andThen((names) =>
      ResultAsync.fromSafePromise(
        (async () => {
          const out: SriovStateRecord[] = [];
          for (const n of names) {
            const raw = await ResultAsync.fromPromise(
              readFile(join(ctx.stateDir, n), 'utf8'),
              () => undefined,
            );
            if (raw.isErr()) continue;
            let j: unknown;
            try {
              j = JSON.parse(raw.value);
            } catch {
              continue;
            }
            if (!isRecord(j) || typeof j.containerID !== 'string' || typeof j.ifName !== 'string') continue;
            const rec = await readRecord(ctx.stateDir, j.containerID, j.ifName);
            if (rec.isOk() && rec.value !== undefined) out.push(rec.value);
          }
          return out;
        })(),
      ),
    );

export const cmdGc = (ctx: Ctx): ResultAsync<void, SriovCniError> => {
  const valid = validAttachments(ctx.stdin);
  return allRecords(ctx)
    .andThen((records) =>
      ResultAsync.fromSafePromise(
        (async () => {
          for (const rec of records) {
            if (valid.has(`${rec.containerID}/${rec.ifName}`)) continue;
            const r = await releaseVf(ctx, rec);
            if (r.isErr()) ctx.log(`GC ${rec.containerID}/${rec.ifName}: ${r.error.message}`);
          }
        })(),
      ),
    )
    .andThen(() =>
      (ctx.world.invoke ?? invokePlugin)({
        type: ctx.conf.ipam.type,
        command: 'GC',
        cniPath: ctx.env.path,
        env: ctx.rawEnv,
        stdin: ctx.stdin,
      })
        .map(() => undefined)
        .orElse((e) => {
          ctx.log(`IPAM GC: ${e.message}`);
          return okAsync(undefined);
        }),
    );
};
