// runChain's libcni semantics against small recording plugins (node scripts written to a temp CNI_PATH
// directory): order and prevResult on ADD, reverse order and the cached prevResult on DEL, the cache file's
// path and format, CHECK, STATUS / GC by version, capability filtering, CNI errors, deadlines.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultCachePath } from './cache.ts';
import { runChain } from './runChain.ts';

// A plugin that logs (command, env, stdin) to $LOG_DIR and answers according to its config.
const PLUGIN = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const conf = input ? JSON.parse(input) : {};
  const me = path.basename(process.argv[1]);
  const env = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('CNI_')) env[k] = process.env[k];
  fs.writeFileSync(path.join(process.env.LOG_DIR, String(process.hrtime.bigint())), JSON.stringify({ me, env, conf }));
  const cmd = process.env.CNI_COMMAND;
  const fail = conf.failOn === cmd;
  const go = () => {
    if (fail) { process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, code: 7, msg: me + ' refused', details: 'd' })); process.exit(1); }
    if (conf.garbageOn === cmd) { process.stdout.write('not json'); process.exit(0); }
    if (cmd === 'ADD') {
      const prev = conf.prevResult ?? { cniVersion: conf.cniVersion, trace: [] };
      process.stdout.write(JSON.stringify({ ...prev, cniVersion: conf.cniVersion, trace: [...prev.trace, me] }));
    } else if (cmd === 'VERSION') {
      process.stdout.write(JSON.stringify({ cniVersion: conf.cniVersion, supportedVersions: ['1.1.0'] }));
    }
  };
  if (conf.sleepMsOn === cmd) setTimeout(go, 5000); else go();
});
`;

let dir = '';
let bin = '';
let logs = '';
let cache = '';

interface Call {
  me: string;
  env: Record<string, string>;
  conf: Record<string, unknown>;
}
const calls = (): Call[] =>
  readdirSync(logs)
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
    .map((f) => JSON.parse(readFileSync(join(logs, f), 'utf8')) as Call);
const clearLogs = () => {
  for (const f of readdirSync(logs)) rmSync(join(logs, f));
};

const list = (
  cniVersion: string,
  plugins: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) => ({
  cniVersion,
  name: 'net1',
  plugins,
  ...extra,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spts-chain-'));
  bin = join(dir, 'bin');
  logs = join(dir, 'logs');
  cache = join(dir, 'cache');
  mkdirSync(bin);
  mkdirSync(logs);
  for (const name of ['p-one', 'p-two', 'p-three']) {
    writeFileSync(join(bin, name), PLUGIN);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(bin, 'not-exec'), PLUGIN);
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const base = () => ({
  containerId: 'ctr1',
  netns: '/var/run/netns/x',
  ifName: 'eth0',
  cniPath: `/nonexistent:${bin}`,
  cacheDir: cache,
  env: { PATH: process.env.PATH, LOG_DIR: logs },
  args: [
    ['K8S_POD_NAMESPACE', 'default'],
    ['K8S_POD_NAME', 'p'],
  ] as [string, string][],
});

describe('runChain', () => {
  it('ADD runs the plugins in order with prevResult and caches the final result libcni-style', async () => {
    clearLogs();
    const conf = list('1.0.0', [{ type: 'p-one', x: 1 }, { type: 'p-two' }, { type: 'p-three' }]);
    const r = await runChain({ ...base(), conf, command: 'ADD' });
    expect(r._unsafeUnwrap().result).toEqual({ cniVersion: '1.0.0', trace: ['p-one', 'p-two', 'p-three'] });
    const c = calls();
    expect(c.map((x) => x.me)).toEqual(['p-one', 'p-two', 'p-three']);
    expect(c[0]?.conf).toEqual({ type: 'p-one', x: 1, name: 'net1', cniVersion: '1.0.0' });
    expect(c[1]?.conf.prevResult).toEqual({ cniVersion: '1.0.0', trace: ['p-one'] });
    expect(c[0]?.env).toEqual({
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'ctr1',
      CNI_NETNS: '/var/run/netns/x',
      CNI_IFNAME: 'eth0',
      CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=p',
      CNI_PATH: `/nonexistent:${bin}`,
    });
    const path = resultCachePath(cache, { network: 'net1', containerId: 'ctr1', ifName: 'eth0' });
    expect(path).toBe(join(cache, 'results', 'net1-ctr1-eth0'));
    const rec = JSON.parse(readFileSync(path, 'utf8'));
    expect(rec).toMatchObject({
      kind: 'cniCacheV1',
      containerId: 'ctr1',
      ifName: 'eth0',
      networkName: 'net1',
      netns: '/var/run/netns/x',
      cniArgs: [
        ['K8S_POD_NAMESPACE', 'default'],
        ['K8S_POD_NAME', 'p'],
      ],
      result: { trace: ['p-one', 'p-two', 'p-three'] },
    });
    expect(JSON.parse(Buffer.from(rec.config, 'base64').toString())).toEqual(conf);
  });

  it('CHECK runs in order with the cached result; DEL runs in reverse with it and removes the cache', async () => {
    clearLogs();
    const conf = list('1.0.0', [{ type: 'p-one', x: 1 }, { type: 'p-two' }, { type: 'p-three' }]);
    expect((await runChain({ ...base(), conf, command: 'CHECK' })).isOk()).toBe(true);
    const cached = { cniVersion: '1.0.0', trace: ['p-one', 'p-two', 'p-three'] };
    expect(calls().map((x) => [x.me, x.env.CNI_COMMAND, x.conf.prevResult])).toEqual([
      ['p-one', 'CHECK', cached],
      ['p-two', 'CHECK', cached],
      ['p-three', 'CHECK', cached],
    ]);
    clearLogs();
    expect((await runChain({ ...base(), conf, command: 'DEL' })).isOk()).toBe(true);
    expect(calls().map((x) => [x.me, x.env.CNI_COMMAND, x.conf.prevResult])).toEqual([
      ['p-three', 'DEL', cached],
      ['p-two', 'DEL', cached],
      ['p-one', 'DEL', cached],
    ]);
    expect(existsSync(join(cache, 'results', 'net1-ctr1-eth0'))).toBe(false);
    // A second DEL (kubelet retries): no cache, no prevResult, still a success.
    clearLogs();
    expect((await runChain({ ...base(), conf, command: 'DEL' })).isOk()).toBe(true);
    expect(calls().every((x) => x.conf.prevResult === undefined)).toBe(true);
    // CHECK without a cached result is an error.
    const chk = await runChain({ ...base(), conf, command: 'CHECK' });
    expect(chk._unsafeUnwrapErr()).toMatchObject({ _tag: 'NoCachedResult', network: 'net1' });
  });

  it('a single conf is wrapped into a one-plugin list (name and cniVersion from the conf)', async () => {
    clearLogs();
    const r = await runChain({
      ...base(),
      conf: JSON.stringify({ cniVersion: '0.4.0', name: 'solo', type: 'p-two' }),
      command: 'ADD',
    });
    expect(r._unsafeUnwrap().result).toEqual({ cniVersion: '0.4.0', trace: ['p-two'] });
    expect(existsSync(join(cache, 'results', 'solo-ctr1-eth0'))).toBe(true);
    expect(
      (
        await runChain({
          ...base(),
          conf: { cniVersion: '0.4.0', name: 'solo', type: 'p-two' },
          command: 'DEL',
        })
      ).isOk(),
    ).toBe(true);
  });

  it('before 0.4.0 DEL gets no prevResult and CHECK is refused', async () => {
    const conf = list('0.3.1', [{ type: 'p-one' }]);
    (await runChain({ ...base(), conf, command: 'ADD' }))._unsafeUnwrap();
    clearLogs();
    (await runChain({ ...base(), conf, command: 'DEL' }))._unsafeUnwrap();
    expect(calls()[0]?.conf.prevResult).toBeUndefined();
    expect((await runChain({ ...base(), conf, command: 'CHECK' }))._unsafeUnwrapErr()._tag).toBe(
      'InvalidConf',
    );
  });

  it('runtimeConfig carries only the capabilities a plugin declares', async () => {
    clearLogs();
    const conf = list('1.0.0', [{ type: 'p-one', capabilities: { mac: true } }, { type: 'p-two' }]);
    const capabilityArgs = { mac: '0a:00:00:00:00:01', ips: ['10.0.0.1/24'] };
    (await runChain({ ...base(), conf, command: 'ADD', capabilityArgs }))._unsafeUnwrap();
    const [one, two] = calls();
    expect(one?.conf.runtimeConfig).toEqual({ mac: '0a:00:00:00:00:01' });
    expect(two?.conf.runtimeConfig).toBeUndefined();
    (await runChain({ ...base(), conf, command: 'DEL' }))._unsafeUnwrap();
  });

  it('a CNI error JSON is surfaced as PluginFailed and stops ADD (nothing cached)', async () => {
    clearLogs();
    const conf = list('1.0.0', [{ type: 'p-one' }, { type: 'p-two', failOn: 'ADD' }, { type: 'p-three' }]);
    const e = (await runChain({ ...base(), containerId: 'ctr2', conf, command: 'ADD' }))._unsafeUnwrapErr();
    expect(e).toMatchObject({
      _tag: 'PluginFailed',
      plugin: 'p-two',
      command: 'ADD',
      code: 7,
      msg: 'p-two refused',
      details: 'd',
    });
    expect(calls().map((x) => x.me)).toEqual(['p-one', 'p-two']);
    expect(existsSync(join(cache, 'results', 'net1-ctr2-eth0'))).toBe(false);
  });

  it('the per-plugin deadline kills a hanging plugin; garbage output and a missing plugin are typed errors', async () => {
    const hang = list('1.0.0', [{ type: 'p-one', sleepMsOn: 'ADD' }]);
    const t0 = Date.now();
    const e = (await runChain({ ...base(), conf: hang, command: 'ADD', deadlineMs: 300 }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'PluginTimeout', plugin: 'p-one', deadlineMs: 300 });
    expect(Date.now() - t0).toBeLessThan(3000);
    const garbage = list('1.0.0', [{ type: 'p-one', garbageOn: 'ADD' }]);
    expect((await runChain({ ...base(), conf: garbage, command: 'ADD' }))._unsafeUnwrapErr()._tag).toBe(
      'PluginBadOutput',
    );
    for (const type of ['missing', 'not-exec']) {
      const e2 = (
        await runChain({ ...base(), conf: list('1.0.0', [{ type }]), command: 'ADD' })
      )._unsafeUnwrapErr();
      expect(e2).toMatchObject({ _tag: 'PluginNotFound', plugin: type });
    }
  });

  it('bad configs and arguments change nothing', async () => {
    clearLogs();
    const bad: [unknown, string][] = [
      ['{', '(root)'],
      [{ cniVersion: '1.0.0', plugins: [{ type: 'p-one' }] }, 'name'],
      [{ cniVersion: '1.0.0', name: 'n', plugins: [] }, 'plugins'],
      [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: '../x' }] }, 'plugins[0].type'],
      [{ cniVersion: '9.9.9', name: 'n', plugins: [{ type: 'p-one' }] }, 'cniVersion'],
      [{ cniVersion: '1.0.0', name: 'n', disableCheck: 3, plugins: [{ type: 'p-one' }] }, 'disableCheck'],
    ];
    for (const [conf, path] of bad) {
      const e = (await runChain({ ...base(), conf: conf as object, command: 'ADD' }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ _tag: 'InvalidConf', path });
    }
    const conf = list('1.0.0', [{ type: 'p-one' }]);
    expect(
      (await runChain({ ...base(), containerId: '-x', conf, command: 'ADD' }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: 'InvalidArgument', field: 'containerId' });
    expect(
      (await runChain({ ...base(), ifName: 'a/b', conf, command: 'ADD' }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: 'InvalidArgument', field: 'ifName' });
    const { netns: _n, ...noNetns } = base();
    expect((await runChain({ ...noNetns, conf, command: 'ADD' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'InvalidArgument',
      field: 'netns',
    });
    expect(calls()).toEqual([]);
  });

  it('STATUS and GC are no-ops before 1.1.0; from 1.1.0 GC deletes stale cached attachments and sends valid-attachments', async () => {
    clearLogs();
    const old = list('1.0.0', [{ type: 'p-one' }]);
    expect((await runChain({ ...base(), conf: old, command: 'STATUS' }))._unsafeUnwrap()).toEqual({
      skipped: true,
    });
    expect((await runChain({ ...base(), conf: old, command: 'GC' }))._unsafeUnwrap()).toEqual({
      skipped: true,
    });
    expect(calls()).toEqual([]);
    const conf = list('1.1.0', [{ type: 'p-one' }, { type: 'p-two' }], { name: 'gcnet' });
    for (const containerId of ['keep', 'gone'])
      (await runChain({ ...base(), containerId, conf, command: 'ADD' }))._unsafeUnwrap();
    clearLogs();
    (await runChain({ ...base(), conf, command: 'STATUS' }))._unsafeUnwrap();
    expect(calls().map((x) => [x.me, x.env])).toEqual([
      ['p-one', { CNI_COMMAND: 'STATUS', CNI_PATH: `/nonexistent:${bin}` }],
      ['p-two', { CNI_COMMAND: 'STATUS', CNI_PATH: `/nonexistent:${bin}` }],
    ]);
    clearLogs();
    const validAttachments = [{ containerID: 'keep', ifname: 'eth0' }];
    const out = (await runChain({ ...base(), conf, command: 'GC', validAttachments }))._unsafeUnwrap();
    expect(out.collected).toEqual([{ containerID: 'gone', ifname: 'eth0' }]);
    expect(
      calls().map((x) => [
        x.me,
        x.env.CNI_COMMAND,
        x.env.CNI_CONTAINERID ?? '',
        x.conf['cni.dev/valid-attachments'],
      ]),
    ).toEqual([
      ['p-two', 'DEL', 'gone', undefined],
      ['p-one', 'DEL', 'gone', undefined],
      ['p-one', 'GC', '', validAttachments],
      ['p-two', 'GC', '', validAttachments],
    ]);
    expect(existsSync(join(cache, 'results', 'gcnet-gone-eth0'))).toBe(false);
    expect(existsSync(join(cache, 'results', 'gcnet-keep-eth0'))).toBe(true);
    const v = (await runChain({ ...base(), conf, command: 'VERSION' }))._unsafeUnwrap();
    expect(v.versions?.map((x) => x.plugin)).toEqual(['p-one', 'p-two']);
  });
});
