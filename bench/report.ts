import { Load, LOADS, VARIANT_LOADS } from './options';
import type { LoadResult } from './load';
import type { BenchResults, Outcome, PairedResult, ThroughputResult } from './results';
import { Variant, VARIANTS } from './variants';
import { round } from './stats';
import type { StreamTiming } from './stream-timing';

/** Issue 11's targets; the benchmark reports against them and never fails on them. */
export const TARGETS = {
  nativeRatio: 0.85,
  openaiRatio: 0.75,
  codeAssistRatio: 0.75,
  /** At the fixed rate. At saturation added latency follows from throughput (Little's law). */
  addedP50Ms: 0.5,
  addedP99Ms: 3,
  ttfbAddedMs: 1,
  eventAddedMs: 0.1,
  idleRssMB: 80,
  openStreamsRssMB: 250,
  soakRssMB: 150,
  /** A minute after the soak, RSS is back within this much of the idle figure. */
  settledOverIdlePct: 10,
  startupMs: 500,
  /** Issue 14: the pool shared through Redis, against the same proxy with its state in memory. */
  redisRatio: 0.9,
  redisAddedP50Ms: 0.3,
  /** Issue 19: against the Nest floor, what the proxy's own code may cost on top of its stack. */
  nativeFloorRatio: 0.9,
  openaiFloorRatio: 0.85,
};

export interface Check {
  target: string;
  met: boolean;
  /** How far off, in the target's unit, when missed. */
  missedBy?: string;
}

export interface Row {
  section: string;
  scenario: string;
  measured: string;
  versus: string;
  target: string;
  status: string;
  checks: Check[];
}

const LOAD_NAMES: Record<Load, string> = {
  passthrough: 'pass-through (bare Node http)',
  'nest-floor': 'Nest floor (Nest 11 + Express, one controller, undici)',
  native: 'native generateContent (API keys)',
  'code-assist': 'native via Code Assist (OAuth)',
  openai: 'OpenAI chat/completions, non-stream',
  redis: 'native generateContent, pool state in Redis (REDIS_URL)',
};

export function buildRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const reference = okResult(results.throughput.passthrough);
  const floor = okResult(results.throughput['nest-floor']);
  for (const load of ['passthrough', 'nest-floor', 'native', 'code-assist', 'openai'] as const) {
    const outcome = results.throughput[load];
    if (!outcome) continue;
    rows.push(
      throughputRow(
        load,
        outcome,
        load === 'passthrough' ? undefined : reference,
        load === 'passthrough' || load === 'nest-floor' ? undefined : floor,
      ),
    );
  }
  const shared = results.throughput.redis;
  if (shared) {
    rows.push(
      redisRow(
        shared,
        okResult(results.throughput.native),
        {
          redis: okResult(results.fixedRate.redis),
          inMemory: okResult(results.fixedRate.native),
        },
        floor,
      ),
    );
  }

  for (const load of VARIANT_LOADS) {
    const outcome = results.paired?.[load];
    if (outcome) rows.push(pairedRow(VARIANTS[load], outcome));
  }

  const pacedReference = okResult(results.fixedRate.passthrough);
  const pacedFloor = okResult(results.fixedRate['nest-floor']);
  for (const load of LOADS) {
    const outcome = results.fixedRate[load];
    if (!outcome) continue;
    rows.push(
      fixedRateRow(
        load,
        outcome,
        load === 'passthrough' ? undefined : pacedReference,
        load === 'passthrough' || load === 'nest-floor' ? undefined : pacedFloor,
        Number(results.meta.settings.fixedRate),
      ),
    );
  }

  const direct = okResult(results.streaming.direct);
  const streamNames = {
    direct: 'fake Google direct',
    passthrough: 'pass-through SSE (no target)',
    native: 'native SSE',
    openai: 'OpenAI SSE',
  } as const;
  for (const mode of ['direct', 'passthrough', 'native', 'openai'] as const) {
    const outcome = results.streaming[mode];
    if (!outcome) continue;
    const reference = mode === 'direct' ? undefined : direct;
    rows.push(
      streamRow(streamNames[mode], outcome, reference, mode === 'native' || mode === 'openai'),
    );
  }

  if (results.openStreams) {
    const o = results.openStreams;
    const r = okResult(o);
    const checks: Check[] = r
      ? [
          atMost(`idle ≤${TARGETS.idleRssMB} MB`, r.rssIdleMB, TARGETS.idleRssMB, 'MB'),
          atMost(
            `RSS ≤${TARGETS.openStreamsRssMB} MB`,
            r.rssPeakMB,
            TARGETS.openStreamsRssMB,
            'MB',
          ),
          {
            target: 'no error',
            met: r.errors === 0,
            missedBy: r.errors ? `${r.errors} errors` : undefined,
          },
          {
            target: 'all open at once',
            met: r.peakOpen === r.requested,
            missedBy: r.peakOpen < r.requested ? `only ${r.peakOpen} open at once` : undefined,
          },
        ]
      : [];
    rows.push({
      section: 'Memory',
      scenario: `${r?.requested ?? ''} concurrent streams`.trim(),
      measured: r
        ? `peak RSS ${fmt(r.rssPeakMB, 0)} MB (idle ${fmt(r.rssIdleMB, 0)}); ${r.peakOpen} open at once; ${r.errors} errors`
        : '',
      versus: r?.firstError ? `first error: ${r.firstError.slice(0, 60)}` : '',
      target: `idle ≤${TARGETS.idleRssMB} MB, peak ≤${TARGETS.openStreamsRssMB} MB, none failed`,
      status: statusOf(o, checks),
      checks,
    });
  }

  if (results.soak) {
    const r = okResult(results.soak);
    const overIdle = r ? ((r.rssSettledMB - r.rssIdleMB) / r.rssIdleMB) * 100 : 0;
    const checks = r
      ? [
          atMost(`≤${TARGETS.soakRssMB} MB`, r.rssEndMB, TARGETS.soakRssMB, 'MB'),
          atMost(
            `${r.settleS} s later ≤${TARGETS.settledOverIdlePct} % over idle`,
            overIdle,
            TARGETS.settledOverIdlePct,
            '%',
          ),
        ]
      : [];
    rows.push({
      section: 'Memory',
      scenario: `RSS over ${r ? r.requests.toLocaleString('en-US') : ''} requests`,
      measured: r
        ? `idle ${fmt(r.rssIdleMB, 0)} · peaks ${fmt(r.rssStartMB, 0)} → ${fmt(r.rssEndMB, 0)} MB (range ${fmt(r.rssMinMB, 0)}–${fmt(r.rssMaxMB, 0)}) · ${fmt(r.rssSettledMB, 0)} MB ${r.settleS} s later; ${r.mix}; ${r.errors + r.non2xx} failed`
        : '',
      versus: r
        ? `growth ${signed(r.growthPct, 1)} % · settled ${signed(overIdle, 1)} % over idle`
        : '',
      target: `≤${TARGETS.soakRssMB} MB, back within ${TARGETS.settledOverIdlePct} % of idle`,
      status: statusOf(results.soak, checks),
      checks,
    });
  }

  if (results.startup) {
    const r = okResult(results.startup);
    const checks = r
      ? [atMost(`≤${TARGETS.startupMs} ms`, r.medianMs, TARGETS.startupMs, 'ms')]
      : [];
    rows.push({
      section: 'Start-up',
      scenario: `to healthy /health, ${r?.files ?? ''} credential files`,
      measured: r
        ? `${fmt(r.medianMs, 0)} ms${r.runsMs.length > 1 ? ` (median of ${r.runsMs.join(', ')})` : ''} · ${fmt(r.cpuMedianMs, 0)} ms CPU · ${r.loaded ?? '?'} loaded`
        : '',
      versus: r?.emptyMs !== undefined ? `no files: ${fmt(r.emptyMs, 0)} ms` : '',
      target: `≤${TARGETS.startupMs / 1000} s`,
      status: statusOf(results.startup, checks),
      checks,
    });
  }
  return rows;
}

function throughputRow(
  load: Load,
  outcome: Outcome<ThroughputResult>,
  reference?: ThroughputResult,
  floor?: ThroughputResult,
): Row {
  const r = okResult(outcome);
  const checks: Check[] = [];
  const versus: string[] = [];
  if (load === 'passthrough') versus.push('reference');
  else if (r && reference) {
    const ratio = r.rps / reference.rps;
    const addedP50 = r.p50Ms - reference.p50Ms;
    const addedP99 = r.p99Ms - reference.p99Ms;
    const cpu = r.serverCpuMsPerRequest / reference.serverCpuMsPerRequest;
    versus.push(
      `${fmt(ratio, 2)}× · ${signed(addedP50, 2)} / ${signed(addedP99, 2)} ms · CPU ${fmt(cpu, 1)}×`,
    );
    const minRatio = {
      'nest-floor': undefined,
      native: TARGETS.nativeRatio,
      openai: TARGETS.openaiRatio,
      'code-assist': TARGETS.codeAssistRatio,
      redis: TARGETS.redisRatio,
    }[load];
    if (minRatio !== undefined) checks.push(atLeast(`≥${minRatio}×`, ratio, minRatio, '×'));
  } else if (r) {
    versus.push('no pass-through');
  }
  if (r && floor) {
    const { rps: floorRatio, cpu, rounds } = againstFloor(r, floor);
    const each = rounds ? ` (rounds ${rounds.map((x) => fmt(x, 2)).join(', ')})` : '';
    versus.push(`floor ${fmt(floorRatio, 2)}×${each} · CPU ${fmt(cpu, 2)}×`);
    const minFloorRatio =
      load === 'native'
        ? TARGETS.nativeFloorRatio
        : load === 'openai'
          ? TARGETS.openaiFloorRatio
          : undefined;
    if (minFloorRatio !== undefined) {
      checks.push(atLeast(`floor ≥${minFloorRatio}×`, floorRatio, minFloorRatio, '×'));
    }
  }
  const target = checks.map((c) => c.target).join(', ');
  const failures = r ? r.errors + r.non2xx : 0;
  return {
    section: 'Throughput',
    scenario: LOAD_NAMES[load],
    measured: r
      ? `${fmt(r.rps, 0)} req/s · p50 ${fmt(r.p50Ms, 2)} · p99 ${fmt(r.p99Ms, 2)} ms · ${fmt(r.serverCpuMsPerRequest * 1000, 0)} µs CPU/req${failures ? ` · ${failures} failed` : ''}`
      : '',
    versus: versus.join(' | '),
    target,
    status: statusOf(outcome, checks),
    checks,
  };
}

/**
 * A load against the Nest floor: the geometric mean of the ratios of the rounds both ran in (each
 * round's pair saw the same box), else the ratio of their totals.
 */
function againstFloor(
  r: ThroughputResult,
  floor: ThroughputResult,
): { rps: number; cpu: number; rounds?: number[] } {
  const own = r.rounds;
  const base = floor.rounds;
  if (own && base && own.length === base.length && own.length > 1) {
    const rounds = own.map((x, i) => x.rps / base[i].rps);
    const cpu = own.map((x, i) => x.cpuMsPerRequest / base[i].cpuMsPerRequest);
    return { rps: geometricMean(rounds), cpu: geometricMean(cpu), rounds };
  }
  return {
    rps: r.rps / floor.rps,
    cpu: r.serverCpuMsPerRequest / floor.serverCpuMsPerRequest,
  };
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((a, x) => a + Math.log(x), 0) / values.length);
}

/**
 * The same native load with REDIS_URL, read against the in-memory proxy rather than the
 * pass-through: throughput at saturation, and the added p50 at the fixed rate (at saturation a
 * closed loop's latency only restates its throughput).
 */
function redisRow(
  outcome: Outcome<ThroughputResult>,
  inMemory: ThroughputResult | undefined,
  paced: { redis?: LoadResult; inMemory?: LoadResult },
  floor: ThroughputResult | undefined,
): Row {
  const r = okResult(outcome);
  const checks: Check[] = [];
  let versus = r ? 'needs the native row' : '';
  if (r && inMemory) {
    const ratio = r.rps / inMemory.rps;
    const addedP50 =
      paced.redis && paced.inMemory
        ? paced.redis.p50Ms - paced.inMemory.p50Ms
        : r.p50Ms - inMemory.p50Ms;
    versus = `${fmt(ratio, 2)}× of in-memory · ${signed(addedP50, 2)} ms p50${paced.redis ? ' at the fixed rate' : ''} · CPU ${fmt(r.serverCpuMsPerRequest / inMemory.serverCpuMsPerRequest, 2)}×`;
    checks.push(atLeast(`≥${TARGETS.redisRatio}×`, ratio, TARGETS.redisRatio, '×'));
    checks.push(
      atMost(`+p50 ≤${TARGETS.redisAddedP50Ms} ms`, addedP50, TARGETS.redisAddedP50Ms, 'ms'),
    );
  }
  if (r && floor) {
    const against = againstFloor(r, floor);
    versus += ` | floor ${fmt(against.rps, 2)}× · CPU ${fmt(against.cpu, 2)}×`;
  }
  const failures = r ? r.errors + r.non2xx : 0;
  return {
    section: 'Throughput',
    scenario: LOAD_NAMES.redis,
    measured: r
      ? `${fmt(r.rps, 0)} req/s · p50 ${fmt(r.p50Ms, 2)} · p99 ${fmt(r.p99Ms, 2)} ms · ${fmt(r.serverCpuMsPerRequest * 1000, 0)} µs CPU/req${failures ? ` · ${failures} failed` : ''}`
      : '',
    versus,
    target: checks.map((c) => c.target).join(', '),
    status: statusOf(outcome, checks),
    checks,
  };
}

/**
 * A paired row: its CPU per request against its baseline's over the same alternated rounds, with
 * each round's own ratio so that the spread shows.
 */
function pairedRow(variant: Variant, outcome: Outcome<PairedResult>): Row {
  const r = okResult(outcome);
  const checks: Check[] = [];
  let versus = '';
  if (r) {
    const extraPct = (r.cpuRatio - 1) * 100;
    checks.push(
      atMost(`CPU ≤+${variant.maxExtraCpuPct} %`, extraPct, variant.maxExtraCpuPct, 'points'),
    );
    versus = `CPU ${signed(extraPct, 1)} % vs ${variant.against} (rounds ${r.roundCpuRatios
      .map((x) => `${fmt(x, 3)}×`)
      .join(', ')}) · ${fmt(r.variant.rps / r.baseline.rps, 2)}× the req/s`;
  }
  const failures = r
    ? r.variant.errors + r.variant.non2xx + r.baseline.errors + r.baseline.non2xx
    : 0;
  return {
    section: 'Paired (alternated rounds)',
    scenario: `${variant.label}, issue ${variant.issue}`,
    measured: r
      ? `${fmt(r.variant.serverCpuMsPerRequest * 1000, 0)} µs CPU/req against ${fmt(r.baseline.serverCpuMsPerRequest * 1000, 0)} · ${fmt(r.variant.rps, 0)} against ${fmt(r.baseline.rps, 0)} req/s · ${r.rounds} rounds${r.helperCpuMsPerRequest !== undefined ? ` · ${variant.helper?.name ?? 'its server'} ${fmt(r.helperCpuMsPerRequest * 1000, 0)} µs CPU/req besides` : ''}${r.note ? ` · ${r.note}` : ''}${failures ? ` · ${failures} failed` : ''}`
      : '',
    versus,
    target: `CPU ≤+${variant.maxExtraCpuPct} % vs ${variant.against}`,
    status: statusOf(outcome, checks),
    checks,
  };
}

function fixedRateRow(
  load: Load,
  outcome: Outcome<LoadResult>,
  reference: LoadResult | undefined,
  floor: LoadResult | undefined,
  rate: number,
): Row {
  const r = okResult(outcome);
  const checks: Check[] = [];
  const versus = load === 'passthrough' ? ['reference'] : [];
  if (r && reference) {
    const addedP50 = r.p50Ms - reference.p50Ms;
    const addedP99 = r.p99Ms - reference.p99Ms;
    versus.push(`${signed(addedP50, 2)} / ${signed(addedP99, 2)} ms`);
    if (load !== 'nest-floor') {
      checks.push(atMost(`+p50 ≤${TARGETS.addedP50Ms} ms`, addedP50, TARGETS.addedP50Ms, 'ms'));
      checks.push(atMost(`+p99 ≤${TARGETS.addedP99Ms} ms`, addedP99, TARGETS.addedP99Ms, 'ms'));
    }
  }
  if (r && floor) {
    versus.push(
      `floor ${signed(r.p50Ms - floor.p50Ms, 2)} / ${signed(r.p99Ms - floor.p99Ms, 2)} ms`,
    );
  }
  const failures = r ? r.errors + r.non2xx : 0;
  return {
    section: `Latency at ${rate.toLocaleString('en-US')} req/s`,
    scenario: LOAD_NAMES[load],
    measured: r
      ? `p50 ${fmt(r.p50Ms, 2)} · p99 ${fmt(r.p99Ms, 2)} ms (${fmt(r.rps, 0)} req/s served)${failures ? ` · ${failures} failed` : ''}`
      : '',
    versus: versus.join(' | '),
    target: checks.map((c) => c.target).join(', '),
    status: statusOf(outcome, checks),
    checks,
  };
}

function streamRow(
  name: string,
  outcome: Outcome<StreamTiming>,
  reference: StreamTiming | undefined,
  withTarget: boolean,
): Row {
  const r = okResult(outcome);
  const checks: Check[] = [];
  let versus = reference ? '' : 'reference';
  if (r && reference) {
    const ttfb = r.ttfbP50Ms - reference.ttfbP50Ms;
    const event = r.eventP50Ms - reference.eventP50Ms;
    versus = `TTFB ${signed(ttfb, 2)} ms · event ${signed(event, 2)} ms`;
    if (withTarget) {
      checks.push(atMost(`TTFB +≤${TARGETS.ttfbAddedMs} ms`, ttfb, TARGETS.ttfbAddedMs, 'ms'));
      checks.push(atMost(`event +≤${TARGETS.eventAddedMs} ms`, event, TARGETS.eventAddedMs, 'ms'));
    }
    if (r.unmatched > 0)
      checks.push({
        target: 'events paired',
        met: false,
        missedBy: `${r.unmatched} streams unpaired`,
      });
  }
  const failures = r ? r.failed : 0;
  return {
    section: 'Streaming',
    scenario: name,
    measured: r
      ? `TTFB p50 ${fmt(r.ttfbP50Ms, 2)} (p99 ${fmt(r.ttfbP99Ms, 2)}) · event p50 ${fmt(r.eventP50Ms, 2)} (p99 ${fmt(r.eventP99Ms, 2)}) ms · ${r.streams} streams${failures ? `, ${failures} failed` : ''}`
      : '',
    versus,
    target: withTarget
      ? `TTFB +≤${TARGETS.ttfbAddedMs} ms, event +≤${TARGETS.eventAddedMs} ms (medians)`
      : '',
    status: statusOf(outcome, checks),
    checks,
  };
}

function statusOf<T>(outcome: Outcome<T>, checks: Check[]): string {
  if (outcome.status !== 'ok') return `${outcome.status.toUpperCase()}: ${outcome.reason}`;
  if (checks.length === 0) return '';
  const missed = checks.filter((c) => !c.met);
  if (missed.length === 0) return 'met';
  return `MISSED ${missed.map((c) => `${c.target}${c.missedBy ? ` (by ${c.missedBy})` : ''}`).join('; ')}`;
}

function atMost(target: string, value: number, limit: number, unit: string): Check {
  const met = value <= limit;
  return { target, met, missedBy: met ? undefined : `${fmt(value - limit, 2)} ${unit}` };
}

function atLeast(target: string, value: number, limit: number, unit: string): Check {
  const met = value >= limit;
  return { target, met, missedBy: met ? undefined : `${fmt(limit - value, 2)}${unit}` };
}

function okResult<T>(outcome: Outcome<T> | undefined): T | undefined {
  return outcome?.status === 'ok' ? outcome.result : undefined;
}

function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : ''}${fmt(value, digits)}`;
}

function fmt(value: number, digits: number): string {
  return round(value, digits).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const COLUMNS: [Exclude<keyof Row, 'checks' | 'section'>, string][] = [
  ['scenario', 'Scenario'],
  ['measured', 'Measured'],
  ['versus', 'vs pass-through | Nest floor / direct'],
  ['target', 'Target'],
  ['status', 'Status'],
];

/** One table for the terminal, grouped by section. */
export function renderTable(rows: Row[]): string {
  const cells = (row: Row) =>
    COLUMNS.map(([key]) => (key === 'scenario' ? `  ${row[key]}` : row[key]));
  const body = rows.map(cells);
  const widths = COLUMNS.map(([, title], i) =>
    Math.max(title.length, ...body.map((c) => c[i].length)),
  );
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]))
      .join(' │ ')
      .trimEnd();
  const out = [
    line(COLUMNS.map(([, title]) => title)),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
  ];
  let section = '';
  rows.forEach((row, i) => {
    if (row.section !== section) {
      section = row.section;
      out.push(line([section.toUpperCase(), '', '', '', '']));
    }
    out.push(line(body[i]));
  });
  return out.join('\n');
}

export function renderMarkdown(results: BenchResults, rows: Row[]): string {
  const m = results.meta;
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const table = [
    `| Section | ${COLUMNS.map(([, title]) => escape(title)).join(' | ')} |`,
    `|---|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) => `| ${r.section} | ${COLUMNS.map(([key]) => escape(String(r[key]))).join(' | ')} |`,
    ),
  ].join('\n');
  const settings = Object.entries(m.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `# Benchmark results

Run ${m.startedAt} (${m.wallS} s), Node ${m.node}, ${m.cpus} × ${m.cpuModel}${m.commit ? `, commit ${m.commit}` : ''}${
    m.quick ? ', **quick smoke run (not comparable)**' : ''
  }${m.profiled ? ', **proxies under --cpu-prof (slower)**' : ''}.

Settings: ${settings}. Load average ${m.loadAverage.before} before the run, ${m.loadAverage.after} after it (the benchmark's own load)${
    m.loadAverage.before > m.cpus / 2 ? ' (**busy machine: figures are skewed**)' : ''
  }.

${table}

Throughput: autocannon, ${m.settings.connections} connections as fast as answered, ${m.settings.durationS} s after ${m.settings.warmupS} s of warm-up;
latency percentiles are exact (from each response), "+" columns subtract the pass-through's; "floor" reads the same
figures against a bare Nest 11 + Express app forwarding through undici (the stack without the proxy's code); CPU is
the server process's own (user + system) per answered request. Latency at a fixed rate: the same requests offered at
${m.settings.fixedRate} req/s over the same connections, so queueing does not hide the hop's own cost. Streaming: time to first body
byte, and each event's delay from the fake's write to the client's read, paired per stream; "+" subtracts the fake
direct. Memory: VmRSS of the proxy process. Start-up: spawn to the first 200 from /health.
`;
}
