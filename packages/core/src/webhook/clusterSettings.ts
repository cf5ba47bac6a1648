// Cluster settings a webhook rule may look at (Spiderpool configmap `spiderpool-conf`), with its defaults.

export interface ClusterSettings {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableSpiderSubnet: boolean;
  readonly enableValidatingResourcesDeletedWebhook: boolean;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  enableIPv4: true,
  enableIPv6: true,
  enableSpiderSubnet: true,
  enableValidatingResourcesDeletedWebhook: false,
};
