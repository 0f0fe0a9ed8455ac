import { QuotaView } from './quota-view';

/** One bar on `/admin`: a window's use against its limit. */
export interface QuotaBar {
  label: string;
  used: number;
  /** The meter's maximum; the used count itself while the limit is unknown (an empty-looking bar). */
  max: number;
  known: boolean;
  text: string;
  reopens: string;
  full: boolean;
}

export interface QuotaRow {
  credential: string;
  model: string;
  bars: QuotaBar[];
  codeAssist?: string;
}

const LABELS = { rpm: 'requests / min', tpm: 'input tokens / min', rpd: 'requests / day' } as const;

/** The quota section of `/admin`: per credential and model, a bar per window, and when it reopens. */
export function quotaRows(view: QuotaView, now: number): QuotaRow[] {
  const rows: QuotaRow[] = [];
  for (const c of view.credentials) {
    for (const m of c.models) {
      const bars = m.windows
        .filter((w) => w.max !== undefined || w.used > 0)
        .map((w): QuotaBar => {
          const known = w.max !== undefined;
          const max = w.max ?? w.used;
          return {
            label: LABELS[w.limit],
            used: w.used,
            max: Math.max(max, 1),
            known,
            text: known
              ? `${w.used} / ${max}${w.source === 'learned' ? ' (learned)' : ''}`
              : `${w.used} / ?`,
            reopens: `reopens in ${until(Date.parse(w.reopensAt) - now)}`,
            full: known && w.used >= max,
          };
        });
      const ca = m.codeAssist;
      rows.push({
        credential: c.id,
        model: m.model,
        bars,
        codeAssist: ca
          ? `Code Assist: ${Math.round(ca.remainingFraction * 100)} % left${ca.resetAt ? `, resets in ${until(Date.parse(ca.resetAt) - now)}` : ''}`
          : undefined,
      });
    }
  }
  return rows;
}

function until(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.ceil(s / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
