/**
 * The benchmark's knobs, from `--flag value` / `--flag=value` or the matching `BENCH_*` variable.
 * `--quick` shrinks every bounded run for a smoke test; an explicit flag still wins over it.
 */

export const GROUPS = ['startup', 'throughput', 'streaming', 'memory', 'soak'] as const;
export type Group = (typeof GROUPS)[number];

/** Throughput scenarios, selectable one by one (for profiling a single load). */
export const LOADS = [
  'passthrough',
  'nest-floor',
  'native',
  'code-assist',
  'openai',
  'redis',
] as const;
export type Load = (typeof LOADS)[number];

/**
 * Paired rows (`variants.ts`): a proxy started another way, loaded in alternation with the one it is
 * read against. Selected with `--loads` like the others.
 */
export const VARIANT_LOADS = ['release', 'postgres', 'quota', 'client-keys'] as const;
export type VariantLoad = (typeof VARIANT_LOADS)[number];

export interface BenchOptions {
  quick: boolean;
  /** Fake model latency before every reply, ms. */
  latencyMs: number;
  streamEvents: number;
  streamIntervalMs: number;
  connections: number;
  durationS: number;
  /** Offered load for the latency-at-a-fixed-rate runs (below every server's capacity). */
  fixedRate: number;
  warmupS: number;
  /** Streams timed per streaming mode, `streamConcurrency` at a time. */
  streams: number;
  streamConcurrency: number;
  /** Concurrent slow streams held open for the memory figure. */
  openStreams: number;
  /** Gap between the slow streams' events: long enough that every stream is open at once. */
  openStreamIntervalMs: number;
  soakRequests: number;
  /** Seconds the soak's proxy rests after the load before its RSS is read again. */
  soakSettleS: number;
  credentialFiles: number;
  startupRuns: number;
  groups: ReadonlySet<Group>;
  loads: ReadonlySet<Load | VariantLoad>;
  /**
   * Rounds of the throughput loads: each load in turn for `durationS` seconds per round, the order
   * reversed every other round, so that the figures read against one another saw the same box.
   */
  rounds: number;
  /** Rounds of each paired row: its baseline's load, then its own (the order alternates). */
  pairs: number;
  /** Offered rate of each paired round, req/s; 0 loads them as fast as answered. */
  pairRate: number;
  /** A git ref built into the run's work folder, whose native row the `release` pair is read against. */
  release?: string;
  /** Runs every proxy under `node --cpu-prof` and leaves the profiles here. */
  profileDir?: string;
  resultsDir: string;
}

interface Spec {
  flag: string;
  env: string;
  full: number;
  quick: number;
}

const NUMBERS: Record<
  Exclude<
    keyof BenchOptions,
    'quick' | 'groups' | 'loads' | 'release' | 'profileDir' | 'resultsDir'
  >,
  Spec
> = {
  latencyMs: { flag: 'latency-ms', env: 'BENCH_LATENCY_MS', full: 5, quick: 5 },
  streamEvents: { flag: 'stream-events', env: 'BENCH_STREAM_EVENTS', full: 20, quick: 20 },
  streamIntervalMs: {
    flag: 'stream-interval-ms',
    env: 'BENCH_STREAM_INTERVAL_MS',
    full: 5,
    quick: 5,
  },
  connections: { flag: 'connections', env: 'BENCH_CONNECTIONS', full: 32, quick: 32 },
  durationS: { flag: 'duration', env: 'BENCH_DURATION_S', full: 10, quick: 2 },
  warmupS: { flag: 'warmup', env: 'BENCH_WARMUP_S', full: 2, quick: 1 },
  fixedRate: { flag: 'fixed-rate', env: 'BENCH_FIXED_RATE', full: 500, quick: 500 },
  streams: { flag: 'streams', env: 'BENCH_STREAMS', full: 200, quick: 24 },
  streamConcurrency: {
    flag: 'stream-concurrency',
    env: 'BENCH_STREAM_CONCURRENCY',
    full: 4,
    quick: 4,
  },
  openStreams: { flag: 'open-streams', env: 'BENCH_OPEN_STREAMS', full: 1000, quick: 100 },
  openStreamIntervalMs: {
    flag: 'open-stream-interval-ms',
    env: 'BENCH_OPEN_STREAM_INTERVAL_MS',
    full: 500,
    quick: 200,
  },
  soakRequests: { flag: 'soak-requests', env: 'BENCH_SOAK_REQUESTS', full: 100_000, quick: 5_000 },
  soakSettleS: { flag: 'soak-settle', env: 'BENCH_SOAK_SETTLE_S', full: 60, quick: 10 },
  credentialFiles: {
    flag: 'credential-files',
    env: 'BENCH_CREDENTIAL_FILES',
    full: 1000,
    quick: 1000,
  },
  startupRuns: { flag: 'startup-runs', env: 'BENCH_STARTUP_RUNS', full: 3, quick: 1 },
  rounds: { flag: 'rounds', env: 'BENCH_ROUNDS', full: 3, quick: 1 },
  pairs: { flag: 'pairs', env: 'BENCH_PAIRS', full: 3, quick: 2 },
  pairRate: { flag: 'pair-rate', env: 'BENCH_PAIR_RATE', full: 300, quick: 300 },
};

export const USAGE = `Usage: npm run bench -- [options]

  --quick                        short smoke run (about 45 s; cold JIT, not comparable)
  --only <groups>                comma list of ${GROUPS.join(', ')} (default: all)
  --loads <loads>                throughput loads to run: ${LOADS.join(', ')},
                                 and paired rows: ${VARIANT_LOADS.join(', ')} (default: all)
  --release <git ref>            build this ref too and pair the native route against it (row "release")
  --profile <dir>                run the proxies under node --cpu-prof, profiles written to <dir>
  --results <dir>                where latest.json and latest.md go (default bench/results)
${Object.values(NUMBERS)
  .map((s) => `  --${s.flag} <n>`.padEnd(33) + `default ${s.full} (quick ${s.quick}); env ${s.env}`)
  .join('\n')}
`;

export class UsageError extends Error {}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const known = new Set([
    'quick',
    'help',
    'only',
    'loads',
    'profile',
    'results',
    'release',
    ...Object.values(NUMBERS).map((s) => s.flag),
  ]);
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (!known.has(name)) throw new UsageError(`Unknown option --${name}`);
    if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else if (name === 'quick' || name === 'help') flags.set(name, 'true');
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`${arg} needs a value`);
  }
  if (flags.has('help')) throw new UsageError('');

  const quick = isTrue(flags.get('quick') ?? env.BENCH_QUICK);
  const numbers = {} as Record<keyof typeof NUMBERS, number>;
  for (const [key, spec] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, Spec][]) {
    const raw = flags.get(spec.flag) ?? env[spec.env];
    const value = raw === undefined || raw === '' ? (quick ? spec.quick : spec.full) : Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(`--${spec.flag} must be a non-negative number`);
    numbers[key] = value;
  }
  for (const key of [
    'connections',
    'streams',
    'streamConcurrency',
    'openStreams',
    'streamEvents',
    'rounds',
    'pairs',
  ] as const) {
    if (numbers[key] < 1) throw new UsageError(`--${NUMBERS[key].flag} must be at least 1`);
  }
  return {
    quick,
    ...numbers,
    groups: pick(flags.get('only') ?? env.BENCH_ONLY, GROUPS, 'only'),
    loads: pick(flags.get('loads') ?? env.BENCH_LOADS, [...LOADS, ...VARIANT_LOADS], 'loads'),
    release: flags.get('release') ?? (env.BENCH_RELEASE || undefined),
    profileDir: flags.get('profile') ?? env.BENCH_PROFILE_DIR ?? undefined,
    resultsDir: flags.get('results') ?? env.BENCH_RESULTS_DIR ?? 'bench/results',
  };
}

function pick<T extends string>(
  raw: string | undefined,
  all: readonly T[],
  flag: string,
): ReadonlySet<T> {
  if (!raw) return new Set(all);
  const chosen = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of chosen) {
    if (!(all as readonly string[]).includes(name)) {
      throw new UsageError(`--${flag}: unknown "${name}" (choose from ${all.join(', ')})`);
    }
  }
  return new Set(chosen as T[]);
}

function isTrue(value: string | undefined): boolean {
  return /^(1|true|yes|on)$/i.test(value ?? '');
}
