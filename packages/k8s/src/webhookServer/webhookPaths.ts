// Spiderpool's webhook paths (charts/spiderpool/templates/tls.yaml, controller-runtime's generated names):
// `/mutate-<group with dashes>-<version>-<lowercase kind>` and `/validate-...`; the Pod webhook is
// `/mutate--v1-pod` (core group: empty). `GET /webhook-health-check` answers 200 (the controller's probe).
import type { KindWebhook } from './kindWebhooks.ts';

export const HEALTH_CHECK_PATH = '/webhook-health-check';

export type WebhookMode = 'mutate' | 'validate';

const versionOf = (w: KindWebhook): string => (w.group === '' ? 'v1' : 'v2beta1');

/** `/mutate-spiderpool-spidernet-io-v2beta1-spiderippool`, `/mutate--v1-pod`. */
export const webhookPath = (mode: WebhookMode, w: KindWebhook): string =>
  `/${mode}-${w.group.replace(/\./g, '-')}-${versionOf(w)}-${w.kind.toLowerCase()}`;

export interface PathRoute {
  mode: WebhookMode;
  webhook: KindWebhook;
}

/** Every served path: mutate for kinds with a mutation, validate for kinds with validation. */
export const pathTable = (webhooks: readonly KindWebhook[]): Map<string, PathRoute> => {
  const table = new Map<string, PathRoute>();
  for (const w of webhooks) {
    if (w.mutate) table.set(webhookPath('mutate', w), { mode: 'mutate', webhook: w });
    if (w.validate) table.set(webhookPath('validate', w), { mode: 'validate', webhook: w });
  }
  return table;
};
