import type { UsageGroup } from '../usage/usage-repository';
import type { UsageReport, UsageReportRow } from '../usage/usage-report';
import { Bucket, bucketSize, bucketStart } from '../usage/usage-totals';

/** The console's ranges: the last 48 hours by hour, the last 30 days by day, or chosen dates. */
export type UsageRange = '48h' | '30d' | 'custom';

/** What the page was asked for, already validated (`UsagePageQueryDto`). */
export interface UsagePageQuery {
  range?: UsageRange;
  /** `YYYY-MM-DD`, UTC, inclusive; only with `range=custom`. */
  from?: string;
  to?: string;
  group?: UsageGroup;
}

/** The report the page needs: bounds and bucket as `GET /admin/api/usage` takes them. */
export interface UsageWindow {
  range: UsageRange;
  from: number;
  to: number;
  bucket: Bucket;
  group: UsageGroup;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Up to four days of custom range are drawn by hour, longer ones by day. */
const HOURLY_UP_TO_MS = 4 * DAY_MS;

/** The window a page request asks for; presets end at the end of the current hour or day. */
export function usageWindow(query: UsagePageQuery, now: number): UsageWindow {
  const group = query.group ?? 'credential';
  const range = query.range ?? (query.from || query.to ? 'custom' : '48h');
  if (range === '48h') {
    const to = bucketStart(now, 'hour') + HOUR_MS;
    return { range, from: to - 48 * HOUR_MS, to, bucket: 'hour', group };
  }
  if (range === '30d') {
    const to = bucketStart(now, 'day') + DAY_MS;
    return { range, from: to - 30 * DAY_MS, to, bucket: 'day', group };
  }
  const today = bucketStart(now, 'day');
  const to = (query.to ? Date.parse(`${query.to}T00:00:00Z`) : today) + DAY_MS;
  const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 7 * DAY_MS;
  return { range, from, to, bucket: to - from <= HOURLY_UP_TO_MS ? 'hour' : 'day', group };
}

/** One stacked chart: x is each bucket's start in epoch seconds, one series per key, and the total. */
export interface UsageChart {
  id: string;
  title: string;
  x: number[];
  series: { label: string; values: number[] }[];
  total: number[];
}

interface KeyTotals {
  key: string;
  requests: number;
  errors: number;
  rateLimited: number;
  promptTokens: number;
  outputTokens: number;
  thoughtTokens: number;
  cachedTokens: number;
  tokens: number;
}

/** What `views/usage.hbs` shows. */
export interface UsagePage {
  range: UsageRange;
  group: UsageGroup;
  groups: { value: UsageGroup; label: string; selected: boolean }[];
  presets: { label: string; href: string; current: boolean }[];
  /** The date inputs' values, `YYYY-MM-DD`, the range's first and last day. */
  fromDate: string;
  toDate: string;
  /** The range in words, e.g. "2026-12-05 21:00 – 2026-12-07 21:00 UTC, by hour". */
  caption: string;
  csvHref: string;
  jsonHref: string;
  /** The charts' data for `views/assets/usage-chart.js`, as JSON in a data attribute. */
  chartData: string;
  keys: KeyTotals[];
  total: KeyTotals;
  empty: boolean;
}

const GROUP_LABELS: Record<UsageGroup, string> = {
  credential: 'Credential',
  model: 'Model',
  client: 'Client',
  dialect: 'Dialect',
};

/** Prompt (cached included), output and thoughts: what Google bills. */
function tokensOf(row: UsageReportRow): number {
  return row.prompt_tokens + row.output_tokens + row.thought_tokens;
}

export function usagePage(window: UsageWindow, report: UsageReport): UsagePage {
  const size = bucketSize(window.bucket);
  const starts: number[] = [];
  for (let t = bucketStart(window.from, window.bucket); t < window.to; t += size) starts.push(t);
  const index = new Map(starts.map((t, i) => [t, i]));

  const keys = new Map<string, KeyTotals>();
  const requests = new Map<string, number[]>();
  const tokens = new Map<string, number[]>();
  const errors = new Array<number>(starts.length).fill(0);
  const limited = new Array<number>(starts.length).fill(0);
  for (const row of report.rows) {
    const i = index.get(Date.parse(row.start));
    if (i === undefined) continue;
    seriesOf(requests, row.key, starts.length)[i] += row.requests;
    seriesOf(tokens, row.key, starts.length)[i] += tokensOf(row);
    errors[i] += row.errors;
    limited[i] += row.rate_limited;
    add(keyTotals(keys, row.key), row);
  }
  const ordered = [...keys.values()].sort((a, b) => b.requests - a.requests || b.tokens - a.tokens);
  const total = emptyTotals('Total');
  for (const row of report.rows) if (index.has(Date.parse(row.start))) add(total, row);

  const x = starts.map((t) => t / 1000);
  const stacked = (id: string, title: string, values: Map<string, number[]>): UsageChart => {
    const series = ordered.map((k) => ({ label: k.key, values: values.get(k.key)! }));
    return { id, title, x, series, total: sumOf(series, starts.length) };
  };
  const failures = [
    { label: 'errors', values: errors },
    { label: '429 rate limited', values: limited },
  ];
  const charts: UsageChart[] = [
    stacked('requests', 'Requests', requests),
    stacked('tokens', 'Tokens (prompt + output + thoughts)', tokens),
    {
      id: 'failures',
      title: 'Errors and 429s',
      x,
      series: failures,
      total: sumOf(failures, starts.length),
    },
  ];

  const apiQuery = {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    bucket: window.bucket,
    group: window.group,
  };
  const pageQuery = (range: UsageRange) =>
    `/admin/usage?${new URLSearchParams({ range, group: window.group }).toString()}`;
  return {
    range: window.range,
    group: window.group,
    groups: (Object.keys(GROUP_LABELS) as UsageGroup[]).map((value) => ({
      value,
      label: GROUP_LABELS[value],
      selected: value === window.group,
    })),
    presets: [
      { label: 'Last 48 hours', href: pageQuery('48h'), current: window.range === '48h' },
      { label: 'Last 30 days', href: pageQuery('30d'), current: window.range === '30d' },
    ],
    fromDate: day(window.from),
    toDate: day(window.to - 1),
    caption: `${minute(window.from)} – ${minute(window.to)} UTC, by ${window.bucket}, per ${window.group}`,
    csvHref: `/admin/api/usage?${new URLSearchParams({ ...apiQuery, format: 'csv' }).toString()}`,
    jsonHref: `/admin/api/usage?${new URLSearchParams(apiQuery).toString()}`,
    chartData: JSON.stringify({ bucket: window.bucket, charts }),
    keys: ordered,
    total,
    empty: ordered.length === 0,
  };
}

function seriesOf(map: Map<string, number[]>, key: string, length: number): number[] {
  let values = map.get(key);
  if (!values) map.set(key, (values = new Array<number>(length).fill(0)));
  return values;
}

function sumOf(series: readonly { values: readonly number[] }[], length: number): number[] {
  const sums = new Array<number>(length).fill(0);
  for (const s of series) s.values.forEach((v, i) => (sums[i] += v));
  return sums;
}

function emptyTotals(key: string): KeyTotals {
  return {
    key,
    requests: 0,
    errors: 0,
    rateLimited: 0,
    promptTokens: 0,
    outputTokens: 0,
    thoughtTokens: 0,
    cachedTokens: 0,
    tokens: 0,
  };
}

function keyTotals(map: Map<string, KeyTotals>, key: string): KeyTotals {
  let totals = map.get(key);
  if (!totals) map.set(key, (totals = emptyTotals(key)));
  return totals;
}

function add(totals: KeyTotals, row: UsageReportRow): void {
  totals.requests += row.requests;
  totals.errors += row.errors;
  totals.rateLimited += row.rate_limited;
  totals.promptTokens += row.prompt_tokens;
  totals.outputTokens += row.output_tokens;
  totals.thoughtTokens += row.thought_tokens;
  totals.cachedTokens += row.cached_tokens;
  totals.tokens += tokensOf(row);
}

function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function minute(time: number): string {
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}
