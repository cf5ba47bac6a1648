// What Multus hands the IPAM plugin: the `ipam` section of the NAD's main plugin, as a spiderpool IpamCniConfig.
import type { IpamCniConfig, NetworkAttachmentDefinition } from '@spiderpool-ts/core';

interface PluginConf {
  type?: string;
  ipam?: IpamCniConfig & { type?: string };
}

/** The `ipam` block of the first plugin that has one (type `spiderpool`), without its `type` key. */
export const ipamConfigOf = (nad: NetworkAttachmentDefinition): IpamCniConfig | undefined => {
  const text = nad.spec?.config;
  if (!text) return undefined;
  const conf = JSON.parse(text) as { plugins?: PluginConf[]; ipam?: PluginConf['ipam'] };
  const ipam = conf.ipam ?? conf.plugins?.find((p) => p.ipam !== undefined)?.ipam;
  if (ipam?.type !== 'spiderpool') return undefined;
  const { type: _type, ...rest } = ipam;
  return rest;
};
