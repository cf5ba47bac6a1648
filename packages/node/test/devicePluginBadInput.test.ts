// Bad input at the device plugin's gRPC surface: raw bytes on its socket, bytes that are not the request
// message, wrong field types, unknown / duplicate device ids, impossible preferred allocations. Each must be
// refused with a gRPC error, leave no device-info file, and leave the server answering the next good call.

import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceProto } from '../src/deviceplugin/proto.ts';
import { startDevicePlugin } from '../src/index.ts';
import {
  makeDirs,
  type Rig,
  removeDirs,
  SEED_RESOURCE,
  seedConfig,
  startRig,
  stopRig,
  writeSeed,
} from './devicePluginKit.ts';

interface Answer {
  code: number;
  tag?: string;
  value?: unknown;
}

let rig: Rig;
let socket: string;
beforeAll(async () => {
  rig = await startRig();
  socket = join(rig.dirs.sockets, 'spidernet.io_sriov_netdevice.sock');
  expect(await rig.kubelet.waitFor(() => rig.kubelet.resources()[SEED_RESOURCE]?.allocatable === 8)).toBe(
    true,
  );
});
afterAll(async () => {
  await stopRig(rig);
});

const call = (rpc: string, arg: object | Buffer, raw = false): Promise<Answer> => {
  const m = deviceProto().devicePlugin[rpc];
  if (!m) throw new Error(rpc);
  const client = new Client(`unix://${socket}`, credentials.createInsecure());
  const ser = raw ? (b: Buffer) => b : m.requestSerialize;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      m.path,
      (x: object | Buffer) => (Buffer.isBuffer(x) && raw ? x : ser(x as never)),
      m.responseDeserialize,
      arg,
      new Metadata(),
      { deadline: Date.now() + 5000 },
      (e: ServiceError | null, v?: unknown) => {
        client.close();
        const tag = e?.metadata.get('x-error-tag')[0];
        resolve(
          e ? { code: e.code, ...(typeof tag === 'string' ? { tag } : {}) } : { code: status.OK, value: v },
        );
      },
    );
  });
};

const devinfoFiles = () => readdir(rig.dirs.devinfo).catch(() => [] as string[]);

const stillServes = async () => {
  const a = await call('GetDevicePluginOptions', {});
  expect(a).toEqual({
    code: status.OK,
    value: { pre_start_required: false, get_preferred_allocation_available: true },
  });
};

describe('device plugin: bad gRPC input', () => {
  it('survives raw non-HTTP/2 bytes on its socket', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(socket, () => s.write(Buffer.from('GET / HTTP/1.1\r\n\r\n\x00\xff\xfe garbage')));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      setTimeout(() => s.destroy(), 1000);
    });
    await stillServes();
  });

  it('refuses bytes that are not an AllocateRequest, writing nothing', async () => {
    // field 1 (container_requests, length-delimited) claiming 255 bytes that are not there
    const truncated = await call('Allocate', Buffer.from([0x0a, 0xff, 0x01]), true);
    expect(truncated.code).not.toBe(status.OK);
    // field 1 sent as a varint: the wrong wire type
    const wrongType = await call('Allocate', Buffer.from([0x08, 0x05]), true);
    expect(wrongType.code).not.toBe(status.OK);
    // a nested devices_ids entry that is a varint instead of a string
    const nestedWrong = await call('Allocate', Buffer.from([0x0a, 0x02, 0x08, 0x01]), true);
    expect(nestedWrong.code).not.toBe(status.OK);
    expect(await devinfoFiles()).toEqual([]);
    await stillServes();
  });

  it('refuses unknown, duplicate and missing device ids, allocating nothing', async () => {
    const unknown = await call('Allocate', { container_requests: [{ devices_ids: ['0000:99:00.0'] }] });
    expect(unknown).toEqual({ code: status.NOT_FOUND, tag: 'UnknownDevice' });
    // one good container and one with a bad id: the whole call fails, the good id's file is not written
    const mixed = await call('Allocate', {
      container_requests: [{ devices_ids: ['0000:04:00.2'] }, { devices_ids: ['0000:04:00.3', 'eth0'] }],
    });
    expect(mixed).toEqual({ code: status.NOT_FOUND, tag: 'UnknownDevice' });
    const dup = await call('Allocate', {
      container_requests: [{ devices_ids: ['0000:04:00.2', '0000:04:00.2'] }],
    });
    expect(dup).toEqual({ code: status.INVALID_ARGUMENT, tag: 'BadRequest' });
    const none = await call('Allocate', { container_requests: [{ devices_ids: [] }] });
    expect(none).toEqual({ code: status.INVALID_ARGUMENT, tag: 'BadRequest' });
    const empty = await call('Allocate', {});
    expect(empty).toEqual({ code: status.INVALID_ARGUMENT, tag: 'BadRequest' });
    // bytes that decode as a string but are not UTF-8
    const junk = await call('Allocate', Buffer.from([0x0a, 0x04, 0x0a, 0x02, 0xc3, 0x28]), true);
    expect(junk).toEqual({ code: status.NOT_FOUND, tag: 'UnknownDevice' });
    expect(await devinfoFiles()).toEqual([]);
    expect(rig.kubelet.resources()[SEED_RESOURCE]?.allocated).toEqual([]);
    await stillServes();
  });

  it('refuses impossible preferred allocations', async () => {
    const tooMany = await call('GetPreferredAllocation', {
      container_requests: [
        { available_deviceIDs: ['0000:04:00.2'], must_include_deviceIDs: [], allocation_size: 2 },
      ],
    });
    expect(tooMany).toEqual({ code: status.INVALID_ARGUMENT, tag: 'BadRequest' });
    const mustNotAvailable = await call('GetPreferredAllocation', {
      container_requests: [
        {
          available_deviceIDs: ['0000:04:00.2'],
          must_include_deviceIDs: ['0000:04:00.3'],
          allocation_size: 1,
        },
      ],
    });
    expect(mustNotAvailable).toEqual({ code: status.INVALID_ARGUMENT, tag: 'BadRequest' });
    const good = await call('GetPreferredAllocation', {
      container_requests: [
        {
          available_deviceIDs: ['0000:04:01.1', '0000:04:00.4', '0000:04:00.7'],
          must_include_deviceIDs: ['0000:04:00.7'],
          allocation_size: 2,
        },
      ],
    });
    expect(good).toEqual({
      code: status.OK,
      value: { container_responses: [{ deviceIDs: ['0000:04:00.7', '0000:04:00.4'] }] },
    });
    expect((await call('PreStartContainer', { devices_ids: ['0000:04:00.2'] })).code).toBe(status.OK);
  });

  it('the kubelet stand-in refuses a Register with the wrong version or resource name', async () => {
    const reg = deviceProto().registration.Register;
    if (!reg) throw new Error('Register');
    const register = (req: object) =>
      new Promise<number>((resolve) => {
        const client = new Client(`unix://${rig.kubelet.socketPath}`, credentials.createInsecure());
        client.makeUnaryRequest(
          reg.path,
          reg.requestSerialize,
          reg.responseDeserialize,
          req,
          (e: ServiceError | null) => {
            client.close();
            resolve(e ? e.code : status.OK);
          },
        );
      });
    const before = rig.kubelet.registrations().length;
    expect(await register({ version: 'v1alpha', endpoint: 'x.sock', resource_name: 'spidernet.io/x' })).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(await register({ version: 'v1beta1', endpoint: 'x.sock', resource_name: 'no-slash' })).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(
      await register({ version: 'v1beta1', endpoint: '../x.sock', resource_name: 'spidernet.io/x' }),
    ).toBe(status.INVALID_ARGUMENT);
    expect(rig.kubelet.registrations().length).toBe(before);
  });
});

describe('device plugin: start-up failures', () => {
  it('an unreadable sysfs root is SysfsUnavailable and leaves no socket', async () => {
    const dirs = await makeDirs();
    try {
      const p = await startDevicePlugin({
        config: seedConfig(),
        sysfsRoot: join(dirs.root, 'nope'),
        kubeletSocketDir: dirs.sockets,
        deviceInfoDir: dirs.devinfo,
      });
      expect(p.isErr() && p.error._tag).toBe('SysfsUnavailable');
      expect(await readdir(dirs.sockets)).toEqual([]);
    } finally {
      await removeDirs(dirs);
    }
  });

  it('a socket dir that cannot hold sockets is ListenFailed', async () => {
    const dirs = await makeDirs();
    try {
      await writeSeed(dirs.sysfs);
      const p = await startDevicePlugin({
        config: seedConfig(),
        sysfsRoot: dirs.sysfs,
        kubeletSocketDir: join(dirs.root, 'missing', 'dir'),
        deviceInfoDir: dirs.devinfo,
      });
      expect(p.isErr() && p.error._tag).toBe('ListenFailed');
    } finally {
      await removeDirs(dirs);
    }
  });
});
