import type { LoadResult } from './load';

export interface ThroughputResult extends LoadResult {
  /** CPU time the server under test (proxy or pass-through) spent per answered request. */
  serverCpuMsPerRequest: number;
  /** Each round's own figures, when the load ran in rounds beside the others (bench/run.ts). */
  rounds?: { rps: number; cpuMsPerRequest: number }[];
}
import type { OpenStreamsResult } from './open-streams';
import type { Load, VariantLoad } from './options';
import type { StreamTiming } from './stream-timing';

/** A scenario either ran, or says why not (a route still missing, a failure, not selected). */
export type Outcome<T> =
  { status: 'ok'; result: T } | { status: 'pending' | 'failed' | 'skipped'; reason: string };

export interface SoakResult {
  requests: number;
  mix: string;
  rps: number;
  errors: number;
  non2xx: number;
  /** A fresh proxy's RSS before any request. */
  rssIdleMB: number;
  /** RSS once the load has stopped for `settleS` seconds. */
  rssSettledMB: number;
  settleS: number;
  /** Highest RSS in the first and in the last fifth of the run (RSS is a sawtooth under load). */
  rssStartMB: number;
  rssEndMB: number;
  rssMinMB: number;
  rssMaxMB: number;
  growthPct: number;
  /** RSS every half second during the run. */
  trace: number[];
}

/** A paired row: its load and its baseline's, alternated on the same box. */
export interface PairedResult {
  rounds: number;
  /** Totals over every round of each side. */
  baseline: ThroughputResult;
  variant: ThroughputResult;
  /** Variant CPU per request ÷ baseline's, over all rounds, and round by round. */
  cpuRatio: number;
  roundCpuRatios: number[];
  /** CPU per request of the row's helper server (PostgreSQL's processes), over the row's rounds. */
  helperCpuMsPerRequest?: number;
  /** Something a reader needs (which commit the release build was). */
  note?: string;
}

export interface StartupResult {
  files: number;
  loaded?: number;
  runsMs: number[];
  medianMs: number;
  /** CPU used by the proxy until healthy, per run, and the median. */
  cpuRunsMs: number[];
  cpuMedianMs: number;
  /** The same proxy with an empty credential folder (API keys only), for comparison. */
  emptyMs?: number;
}

export interface BenchResults {
  meta: {
    startedAt: string;
    finishedAt: string;
    wallS: number;
    node: string;
    cpus: number;
    cpuModel: string;
    /** 1-minute load average before and after: other work on the machine skews every figure. */
    loadAverage: { before: number; after: number };
    commit?: string;
    quick: boolean;
    profiled: boolean;
    settings: Record<string, number | string | boolean>;
  };
  throughput: Partial<Record<Load, Outcome<ThroughputResult>>>;
  /** The same requests offered at a fixed rate: the hop's own latency, without queueing. */
  fixedRate: Partial<Record<Load, Outcome<LoadResult>>>;
  paired: Partial<Record<VariantLoad, Outcome<PairedResult>>>;
  streaming: Partial<Record<'direct' | 'passthrough' | 'native' | 'openai', Outcome<StreamTiming>>>;
  openStreams?: Outcome<OpenStreamsResult>;
  soak?: Outcome<SoakResult>;
  startup?: Outcome<StartupResult>;
}

export function ok<T>(result: T): Outcome<T> {
  return { status: 'ok', result };
}
