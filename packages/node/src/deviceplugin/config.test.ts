import { describe, expect, it } from 'vitest';
import { parseDevicePluginConfig, parseDevicePluginConfigJson } from './config.ts';
import { allocationEnvs, deviceInfoPath, pciDeviceEnvName, pluginSocketName } from './naming.ts';

const errOf = (text: string) => {
  const r = parseDevicePluginConfigJson(text);
  if (r.isOk()) throw new Error(`accepted ${text}`);
  return r.error;
};

describe('device plugin config (sriov-network-device-plugin config.json shape)', () => {
  it('reads a resource list: default prefix spidernet.io, per-entry prefix, selector object or list', () => {
    const r = parseDevicePluginConfigJson(
      JSON.stringify({
        resourceList: [
          {
            resourceName: 'sriov_netdevice',
            selectors: { pfNames: ['enp4s0f0np0#0-3'], drivers: ['mlx5_core'] },
          },
          {
            resourceName: 'intel_sriov',
            resourcePrefix: 'intel.com',
            deviceType: 'netDevice',
            excludeTopology: true,
            selectors: [{ vendors: ['8086'], devices: ['154c'] }, { rootDevices: ['0000:86:00.0#0-1,3'] }],
          },
        ],
      }),
    );
    expect(r.isOk() && r.value).toEqual({
      resources: [
        {
          name: 'sriov_netdevice',
          prefix: 'spidernet.io',
          resourceName: 'spidernet.io/sriov_netdevice',
          selectors: [{ pfNames: ['enp4s0f0np0#0-3'], drivers: ['mlx5_core'] }],
          excludeTopology: false,
        },
        {
          name: 'intel_sriov',
          prefix: 'intel.com',
          resourceName: 'intel.com/intel_sriov',
          selectors: [{ vendors: ['8086'], devices: ['154c'] }, { rootDevices: ['0000:86:00.0#0-1,3'] }],
          excludeTopology: true,
        },
      ],
    });
    expect(parseDevicePluginConfig({ resourceList: [] }, 'openshift.io').isOk()).toBe(true);
  });

  it('refuses bad JSON and bad fields with the JSON path and value', () => {
    expect(errOf('{"resourceList": [')).toMatchObject({ _tag: 'ConfigInvalid', path: '' });
    expect(errOf('[]')).toMatchObject({ _tag: 'ConfigInvalid', path: '' });
    expect(errOf('{}')).toMatchObject({ path: 'resourceList' });
    const one = (entry: unknown) => errOf(JSON.stringify({ resourceList: [entry] }));
    expect(one({ resourceName: 'sriov-netdevice', selectors: {} })).toMatchObject({
      path: 'resourceList[0].resourceName',
      value: 'sriov-netdevice',
    });
    expect(one({ resourceName: 'x', resourcePrefix: 'Bad_Prefix', selectors: {} })).toMatchObject({
      path: 'resourceList[0].resourcePrefix',
    });
    expect(one({ resourceName: 'x', deviceType: 'accelerator', selectors: {} })).toMatchObject({
      path: 'resourceList[0].deviceType',
    });
    expect(one({ resourceName: 'x' })).toMatchObject({ path: 'resourceList[0].selectors' });
    expect(one({ resourceName: 'x', selectors: { linkTypes: ['ether'] } })).toMatchObject({
      path: 'resourceList[0].selectors.linkTypes',
    });
    expect(one({ resourceName: 'x', selectors: { devices: ['154c', 1889] } })).toMatchObject({
      path: 'resourceList[0].selectors.devices[1]',
      value: 1889,
    });
    expect(one({ resourceName: 'x', selectors: [{}, { pfNames: ['p0#1-x'] }] })).toMatchObject({
      path: 'resourceList[0].selectors[1]',
    });
    expect(one({ resourceName: 'x', isRdma: true, selectors: {} })).toMatchObject({
      path: 'resourceList[0].isRdma',
    });
    const dup = errOf(
      JSON.stringify({
        resourceList: [
          { resourceName: 'a', selectors: {} },
          { resourceName: 'a', resourcePrefix: 'spidernet.io', selectors: {} },
        ],
      }),
    );
    expect(dup).toMatchObject({ path: 'resourceList[1].resourceName', value: 'spidernet.io/a' });
    expect(dup.message).toContain('listed twice');
  });
});

describe('peer-compatible names', () => {
  it('env, socket and device-info names as sriov-network-device-plugin spells them', () => {
    expect(pciDeviceEnvName('spidernet.io', 'sriov_netdevice')).toBe(
      'PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE',
    );
    expect(pciDeviceEnvName('intel.com', 'intel_sriov_netdevice')).toBe(
      'PCIDEVICE_INTEL_COM_INTEL_SRIOV_NETDEVICE',
    );
    expect(pluginSocketName('spidernet.io', 'sriov_netdevice')).toBe('spidernet.io_sriov_netdevice.sock');
    expect(
      deviceInfoPath('/var/run/k8s.cni.cncf.io/devinfo/dp', 'spidernet.io/sriov_netdevice', '0000:04:00.2'),
    ).toBe('/var/run/k8s.cni.cncf.io/devinfo/dp/spidernet.io-sriov_netdevice-0000:04:00.2-device.json');
    expect(allocationEnvs('spidernet.io', 'sriov_netdevice', ['0000:04:00.3', '0000:04:00.2'])).toEqual({
      PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE: '0000:04:00.3,0000:04:00.2',
      PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE_INFO:
        '{"0000:04:00.2":{"generic":{"deviceID":"0000:04:00.2"}},"0000:04:00.3":{"generic":{"deviceID":"0000:04:00.3"}}}',
    });
  });
});
