import type { UsageReport } from '../usage/usage-report';
import { usagePage, usageWindow } from './usage-page';

const NOW = Date.parse('2026-12-07T20:30:00Z');
const HOUR = 3_600_000;

describe('usageWindow', () => {
  it.each([
    [{}, '2026-12-05T21:00:00.000Z', '2026-12-07T21:00:00.000Z', 'hour'],
    [{ range: '48h' as const }, '2026-12-05T21:00:00.000Z', '2026-12-07T21:00:00.000Z', 'hour'],
    [{ range: '30d' as const }, '2026-11-08T00:00:00.000Z', '2026-12-08T00:00:00.000Z', 'day'],
    [
      { from: '2026-12-06', to: '2026-12-07' },
      '2026-12-06T00:00:00.000Z',
      '2026-12-08T00:00:00.000Z',
      'hour',
    ],
    [
      { from: '2026-11-01', to: '2026-12-07' },
      '2026-11-01T00:00:00.000Z',
      '2026-12-08T00:00:00.000Z',
      'day',
    ],
  ])('%j covers %s to %s by %s', (query, from, to, bucket) => {
    const window = usageWindow(query, NOW);
    expect([
      new Date(window.from).toISOString(),
      new Date(window.to).toISOString(),
      window.bucket,
    ]).toEqual([from, to, bucket]);
  });
});

describe('usagePage', () => {
  const window = usageWindow({ range: '48h', group: 'model' }, NOW);
  const row = (hoursBack: number, key: string, requests: number, rateLimited = 0) => ({
    start: new Date(window.to - hoursBack * HOUR).toISOString(),
    key,
    requests,
    errors: 0,
    rate_limited: rateLimited,
    prompt_tokens: 10 * requests,
    output_tokens: requests,
    thought_tokens: 0,
    cached_tokens: 0,
  });
  const report: UsageReport = {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    bucket: 'hour',
    group: 'model',
    rows: [row(1, 'flash', 2), row(1, 'pro', 5, 1), row(3, 'flash', 1)],
  };
  const page = usagePage(window, report);
  const charts = JSON.parse(page.chartData) as {
    charts: {
      id: string;
      x: number[];
      series: { label: string; values: number[] }[];
      total: number[];
    }[];
  };

  it('gives every hour of the window a bucket, empty ones at zero', () => {
    const requests = charts.charts.find((c) => c.id === 'requests')!;
    expect(requests.x).toHaveLength(48);
    expect(requests.total.slice(-3)).toEqual([1, 0, 7]);
    expect(requests.total.reduce((a, b) => a + b)).toBe(8);
  });

  it('stacks the busiest key first and sums each key in the table', () => {
    const requests = charts.charts.find((c) => c.id === 'requests')!;
    expect(requests.series.map((s) => s.label)).toEqual(['pro', 'flash']);
    expect(page.keys.map((k) => [k.key, k.requests, k.tokens])).toEqual([
      ['pro', 5, 55],
      ['flash', 3, 33],
    ]);
    expect(page.total).toMatchObject({ requests: 8, rateLimited: 1, tokens: 88 });
  });

  it('links the CSV to the same range, bucket and group', () => {
    const csv = new URL(page.csvHref, 'http://proxy').searchParams;
    expect(Object.fromEntries(csv)).toEqual({
      from: '2026-12-05T21:00:00.000Z',
      to: '2026-12-07T21:00:00.000Z',
      bucket: 'hour',
      group: 'model',
      format: 'csv',
    });
  });
});
