import { Gauge, Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label';
import { QuotaView } from './quota-view';

/**
 * Headroom gauges, read from the quota view at scrape time: for each credential, model and limit
 * whose size is known, the share of the window still free (0..1) and the count used. Credential
 * ids are secret-free; credentials and model names are bounded like every other label.
 */
export function registerQuotaGauges(
  registry: Registry,
  prefix: string,
  view: () => Promise<QuotaView>,
): void {
  const credentials = new BoundedLabel(200);
  const models = new BoundedLabel(100);
  let latest: Promise<QuotaView> | undefined;
  // Both gauges of one scrape share one read of the store.
  const read = () => {
    latest ??= view().finally(() => setImmediate(() => (latest = undefined)));
    return latest;
  };
  const labelNames = ['credential', 'model', 'limit'] as const;
  new Gauge({
    name: `${prefix}quota_headroom_ratio`,
    help: "Share of a quota window still free, by credential, model and limit (rpm, tpm, rpd), where the limit's size is known.",
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of flatten(await read(), credentials, models)) {
        if (row.headroom !== undefined) this.set(row.labels, row.headroom);
      }
    },
  });
  new Gauge({
    name: `${prefix}quota_used`,
    help: 'Requests (rpm, rpd) or input tokens (tpm) counted in the current window, by credential, model and limit.',
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of flatten(await read(), credentials, models)) this.set(row.labels, row.used);
    },
  });
}

function flatten(view: QuotaView, credentials: BoundedLabel, models: BoundedLabel) {
  return view.credentials.flatMap((c) =>
    c.models.flatMap((m) =>
      m.windows.map((w) => ({
        labels: {
          credential: credentials.value(c.id),
          model: models.value(m.model),
          limit: w.limit,
        },
        used: w.used,
        headroom: w.headroom,
      })),
    ),
  );
}
