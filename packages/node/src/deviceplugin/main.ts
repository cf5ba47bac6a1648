// `spiderpool-sriov-device-plugin`: the device plugin as a node daemon (what a DaemonSet runs). Flags
// follow sriov-network-device-plugin where it has one (--config-file, --resource-prefix).
import { parseArgs } from 'node:util';
import { DEFAULT_RESOURCE_PREFIX, loadDevicePluginConfig } from './config.ts';
import { DEFAULT_DEVICE_INFO_DIR } from './naming.ts';
import { DEFAULT_DEVICE_PLUGIN_DIR } from './proto.ts';
import { startDevicePlugin } from './startDevicePlugin.ts';

const HELP = `usage: spiderpool-sriov-device-plugin [options]

Advertises SR-IOV VFs to kubelet over the device plugin API v1beta1 (one gRPC socket per resource pool).

  --config-file <path>        resource list JSON (default /etc/pcidp/config.json)
  --resource-prefix <prefix>  prefix for entries without resourcePrefix (default ${DEFAULT_RESOURCE_PREFIX})
  --sysfs-root <path>         sysfs mount (default /sys)
  --device-plugin-dir <path>  kubelet's device-plugins dir with kubelet.sock (default ${DEFAULT_DEVICE_PLUGIN_DIR})
  --device-info-dir <path>    device-info files for Multus (default ${DEFAULT_DEVICE_INFO_DIR})
  --poll-interval-ms <n>      sysfs rescan and kubelet check period (default 100)
  -h, --help                  this text
`;

const main = async (): Promise<number> => {
  const parsed = (() => {
    try {
      return parseArgs({
        options: {
          'config-file': { type: 'string', default: '/etc/pcidp/config.json' },
          'resource-prefix': { type: 'string', default: DEFAULT_RESOURCE_PREFIX },
          'sysfs-root': { type: 'string', default: '/sys' },
          'device-plugin-dir': { type: 'string', default: DEFAULT_DEVICE_PLUGIN_DIR },
          'device-info-dir': { type: 'string', default: DEFAULT_DEVICE_INFO_DIR },
          'poll-interval-ms': { type: 'string', default: '100' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }).values;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  })();
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n${HELP}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const interval = Number(parsed['poll-interval-ms']);
  if (!Number.isInteger(interval) || interval < 10) {
    process.stderr.write(`--poll-interval-ms must be an integer >= 10\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const config = await loadDevicePluginConfig(parsed['config-file'], parsed['resource-prefix']);
  if (config.isErr()) {
    log(config.error.message);
    return 1;
  }
  const plugin = await startDevicePlugin({
    config: config.value,
    sysfsRoot: parsed['sysfs-root'],
    kubeletSocketDir: parsed['device-plugin-dir'],
    deviceInfoDir: parsed['device-info-dir'],
    pollIntervalMs: interval,
    log,
  });
  if (plugin.isErr()) {
    log(plugin.error.message);
    return 1;
  }
  for (const p of plugin.value.pools())
    log(`serving ${p.resourceName} (${p.devices.length} devices) on ${p.socketPath}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await plugin.value.close();
  return 0;
};

void main().then((code) => process.exit(code));
