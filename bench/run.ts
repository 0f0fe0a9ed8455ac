/**
 * `npm run bench`: the fake Google with a fixed model latency, the proxy from its production
 * build, and a bare pass-through proxy, all on 127.0.0.1; autocannon and a timing SSE client
 * load them. Prints one table and writes bench/results/latest.{json,md}. It reports and never
 * fails on a target; it exits non-zero only when it could not run. Whatever it starts, it stops.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Child, Children, cpuTimeMs, rssMB, whenReady } from './children';
import { benchAccounts, mintAccessTokens, writeCredentialFiles } from './credential-files';
import { FakeGoogleProcess } from './fake-google-process';
import { probe, runLoad } from './load';
import { runPaced } from './paced-load';
import { holdOpenStreams, OpenStreamsResult } from './open-streams';
import {
  BenchOptions,
  Load,
  LOADS,
  parseOptions,
  USAGE,
  UsageError,
  VARIANT_LOADS,
  VariantLoad,
} from './options';
import { startPostgres } from './postgres';
import { BENCH_PASSWORD, profileArgs, ProxyProcess, proxyNodeArgs } from './proxy-process';
import { buildRelease } from './release-build';
import { buildRows, renderMarkdown, renderTable } from './report';
import {
  BenchResults,
  ok,
  Outcome,
  PairedResult,
  SoakResult,
  StartupResult,
  ThroughputResult,
} from './results';
import { median, round } from './stats';
import { timeStreams } from './stream-timing';
import { Side, Variant, VariantContext, VARIANTS } from './variants';
import { HttpRequestSpec, nativeRequest, openAiRequest } from './workload';

const API_KEYS = [
  'AIzaSy-bench-key-0',
  'AIzaSy-bench-key-1',
  'AIzaSy-bench-key-2',
  'AIzaSy-bench-key-3',
];
/** Idle time before each load of a throughput round (bench/README.md). */
const ROUND_SETTLE_MS = 1_000;
/** Events of each slow stream in the memory scenario. */
const SLOW_STREAM_EVENTS = 10;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

class Bench {
  readonly results: BenchResults;
  private fake!: FakeGoogleProcess;
  private passthrough?: { child: Child; url: string };
  /** Nest 11 + Express forwarding through undici, no features: the least the proxy's stack costs. */
  private nestFloor?: { child: Child; url: string };
  /** API keys only: native, OpenAI, streams and the soak. Started unless none of those runs. */
  private keyProxy!: ProxyProcess;
  private oauthProxy?: ProxyProcess;
  /** Native load again, with the pool shared through a local redis-server (issue 14). */
  private redisProxy?: ProxyProcess;
  private credentialsDir!: string;

  constructor(
    private readonly options: BenchOptions,
    private readonly children: Children,
    private readonly workDir: string,
  ) {
    const o = options;
    this.results = {
      meta: {
        startedAt: new Date().toISOString(),
        finishedAt: '',
        wallS: 0,
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        loadAverage: { before: round(os.loadavg()[0], 2), after: 0 },
        commit: gitCommit(),
        quick: o.quick,
        profiled: Boolean(o.profileDir),
        settings: {
          latencyMs: o.latencyMs,
          streamEvents: o.streamEvents,
          streamIntervalMs: o.streamIntervalMs,
          connections: o.connections,
          durationS: o.durationS,
          fixedRate: o.fixedRate,
          warmupS: o.warmupS,
          streams: o.streams,
          streamConcurrency: o.streamConcurrency,
          openStreams: o.openStreams,
          openStreamIntervalMs: o.openStreamIntervalMs,
          soakRequests: o.soakRequests,
          credentialFiles: o.credentialFiles,
          pairs: o.pairs,
          pairRate: o.pairRate,
          ...(o.release ? { release: o.release } : {}),
        },
      },
      throughput: {},
      fixedRate: {},
      paired: {},
      streaming: {},
    };
  }

  private get wants() {
    const { groups, loads } = this.options;
    return {
      startup: groups.has('startup'),
      throughput: (load: Load | VariantLoad) => groups.has('throughput') && loads.has(load),
      streaming: groups.has('streaming'),
      memory: groups.has('memory'),
      soak: groups.has('soak'),
    };
  }

  async run(): Promise<void> {
    const o = this.options;
    const wants = this.wants;
    const load = os.loadavg()[0];
    if (load > 0.5) {
      log(
        `warning: load average ${load.toFixed(2)} on ${os.cpus().length} CPUs; other work will skew the figures`,
      );
    }
    log(
      `fake Google: ${o.latencyMs} ms per reply, ${o.streamEvents} events ${o.streamIntervalMs} ms apart`,
    );
    this.fake = await FakeGoogleProcess.start(
      this.children,
      'fake-google',
      {
        latencyMs: o.latencyMs,
        streamEvents: o.streamEvents,
        streamIntervalMs: o.streamIntervalMs,
      },
      this.workDir,
    );
    await this.fake.addApiKeys(API_KEYS);

    const needsOAuth = wants.startup || wants.throughput('code-assist');
    if (needsOAuth) await this.prepareCredentialFiles();
    if (wants.throughput('passthrough') || wants.streaming) await this.startPassthrough();
    if (wants.throughput('nest-floor')) await this.startNestFloor();

    const needsKeyProxy =
      wants.startup || wants.throughput('native') || wants.throughput('openai') || wants.streaming;
    if (needsKeyProxy) {
      this.keyProxy = await this.startProxy('proxy-keys', {
        GEMINI_API_KEYS: API_KEYS.join(','),
        PERSISTENT_STORAGE_PATH: this.emptyDir('no-credentials'),
      });
      log(`proxy (API keys) healthy after ${Math.round(this.keyProxy.startupMs)} ms`);
    }
    if (needsOAuth) await this.measureStartup();
    if (wants.throughput('redis')) await this.startRedisProxy();

    await this.throughputRounds(LOADS.filter((load) => wants.throughput(load)));
    await this.oauthProxy?.stop();
    await this.pairedRows();
    if (wants.streaming) await this.streaming();
    if (wants.memory) this.results.openStreams = await this.openStreams();
    if (wants.soak) this.results.soak = await this.soak();
  }

  private async prepareCredentialFiles(): Promise<void> {
    const accounts = benchAccounts(this.options.credentialFiles);
    await this.fake.addOAuthAccounts(accounts);
    const tokens = await mintAccessTokens(this.fake.env.GOOGLE_OAUTH_TOKEN_URL, accounts);
    this.credentialsDir = path.join(this.workDir, 'credentials');
    writeCredentialFiles(this.credentialsDir, accounts, tokens);
    log(`wrote ${accounts.length} OAuth credential files with live tokens`);
  }

  /** Each selected paired row in turn; what one row starts is stopped before the next. */
  private async pairedRows(): Promise<void> {
    let postgres: ReturnType<VariantContext['postgres']> | undefined;
    const context: VariantContext = {
      postgres: () => (postgres ??= startPostgres(this.children, this.workDir)),
    };
    for (const load of VARIANT_LOADS) {
      if (!this.wants.throughput(load)) continue;
      if (load === 'release' && this.options.release) {
        try {
          log(`building ${this.options.release} for the release pair`);
          context.release = buildRelease(this.options.release, this.workDir);
        } catch (error) {
          this.results.paired.release = failed(error);
          continue;
        }
      }
      this.results.paired[load] = await this.paired(load, VARIANTS[load], context);
    }
  }

  /**
   * The row's proxy and its baseline's, both fresh, warmed up, then loaded in turn for
   * `pairs` rounds (the order alternates, so that a drift in the box's load falls on both).
   */
  private async paired(
    load: VariantLoad,
    variant: Variant,
    context: VariantContext,
  ): Promise<Outcome<PairedResult>> {
    const unavailable = variant.unavailable?.(context);
    if (unavailable) {
      log(`${load}: ${unavailable}`);
      const pending = unavailable.startsWith('pending');
      return { status: pending ? 'pending' : 'skipped', reason: unavailable };
    }
    const o = this.options;
    const started: ProxyProcess[] = [];
    const start = async (name: string, side: Side): Promise<ProxyProcess> => {
      const proxy = await ProxyProcess.start(this.children, name, {
        env: {
          ...this.fake.env,
          GEMINI_API_KEYS: API_KEYS.join(','),
          PERSISTENT_STORAGE_PATH: this.emptyDir(name),
          ...side.env,
        },
        workDir: this.workDir,
        profileDir: o.profileDir,
        buildDir: side.buildDir,
      });
      started.push(proxy);
      return proxy;
    };
    try {
      const own = await start(`proxy-${load}`, (await variant.variant?.(context)) ?? {});
      const base =
        variant.baseline === 'same'
          ? own
          : await start(`proxy-${load}-baseline`, (await variant.baseline?.(context)) ?? {});
      const key = variant.prepare ? await variant.prepare(own.url) : BENCH_PASSWORD;
      const sides = [
        { proxy: base, spec: nativeRequest({ stream: false, apiKey: BENCH_PASSWORD }) },
        { proxy: own, spec: nativeRequest({ stream: false, apiKey: key }) },
      ];
      for (const side of sides) {
        const problem = await probe(side.proxy.url, side.spec);
        if (problem) return failed(new Error(problem));
      }
      // At a rate both sides carry, so that they answer the same number of requests: a proxy's CPU
      // per request rises as its throughput falls (fewer requests share each turn of the event
      // loop), and at saturation a busy box gives the sides different throughputs.
      const run = (side: (typeof sides)[number], durationS: number) =>
        o.pairRate > 0
          ? runPaced({
              baseUrl: side.proxy.url,
              spec: side.spec,
              rate: o.pairRate,
              durationS,
              connections: o.connections,
            })
          : runLoad({
              baseUrl: side.proxy.url,
              connections: o.connections,
              durationS,
              requests: [side.spec],
            });
      // Warmed up as fast as answered: the most requests through the JIT in the time.
      for (const side of sides) {
        await runLoad({
          baseUrl: side.proxy.url,
          connections: o.connections,
          durationS: o.warmupS,
          requests: [side.spec],
        });
      }
      const rounds: { base?: ThroughputResult; own?: ThroughputResult }[] = [];
      let helperCpuMs = 0;
      let helperRequests = 0;
      const measure = async (side: (typeof sides)[number]): Promise<ThroughputResult> => {
        await delay(ROUND_SETTLE_MS);
        const helperBefore =
          side.proxy === own ? await variant.helper?.cpuTimeMs(context) : undefined;
        const cpuBefore = cpuTimeMs(side.proxy.pid);
        const measured = await run(side, o.durationS);
        const cpu = cpuTimeMs(side.proxy.pid) - cpuBefore;
        if (helperBefore !== undefined) {
          helperCpuMs += (await variant.helper!.cpuTimeMs(context)) - helperBefore;
          helperRequests += measured.ok;
        }
        return { ...measured, serverCpuMsPerRequest: cpu / Math.max(1, measured.ok) };
      };
      // In turn, not at once: loaded together, the side with a helper process (PostgreSQL) would
      // get a smaller share of the cores, and a proxy's CPU per request rises as its throughput
      // falls (measured: +32 % at once against −7 % in turn for the same pair).
      for (let r = 0; r < o.pairs; r++) {
        const pair: (typeof rounds)[number] = {};
        for (const which of r % 2 === 0 ? (['base', 'own'] as const) : (['own', 'base'] as const)) {
          pair[which] = await measure(sides[which === 'base' ? 0 : 1]);
        }
        rounds.push(pair);
      }
      const baseline = total(rounds.map((r) => r.base!));
      const variantTotal = total(rounds.map((r) => r.own!));
      const roundCpuRatios = rounds.map(
        (r) => r.own!.serverCpuMsPerRequest / r.base!.serverCpuMsPerRequest,
      );
      const result: PairedResult = {
        rounds: rounds.length,
        baseline,
        variant: variantTotal,
        // Each round's sides saw the same box; rounds differ (a busier round costs both sides more
        // per request), so the pair is read round by round, not from the totals.
        cpuRatio: round(geometricMean(roundCpuRatios), 4),
        roundCpuRatios: roundCpuRatios.map((x) => round(x, 3)),
        helperCpuMsPerRequest: helperRequests ? round(helperCpuMs / helperRequests, 4) : undefined,
        note: load === 'release' ? `release build ${context.release?.commit}` : undefined,
      };
      log(
        `${load}: ${Math.round(variantTotal.serverCpuMsPerRequest * 1000)} µs CPU/request against ` +
          `${Math.round(baseline.serverCpuMsPerRequest * 1000)} µs (${variant.against}), ` +
          `×${result.cpuRatio} (rounds ${result.roundCpuRatios.join(', ')})`,
      );
      return ok(result);
    } catch (error) {
      return failed(error);
    } finally {
      for (const proxy of started.reverse()) await proxy.stop();
    }
  }

  private async startRedisProxy(): Promise<void> {
    try {
      const port = await freeTcpPort();
      this.children.spawnProgram(
        'redis',
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { env: process.env, logFile: path.join(this.workDir, 'redis.log') },
      );
      this.redisProxy = await this.startProxy('proxy-redis', {
        GEMINI_API_KEYS: API_KEYS.join(','),
        PERSISTENT_STORAGE_PATH: this.emptyDir('no-credentials-redis'),
        REDIS_URL: `redis://127.0.0.1:${port}`,
      });
      log(`proxy (API keys, REDIS_URL) healthy after ${Math.round(this.redisProxy.startupMs)} ms`);
    } catch (error) {
      this.results.throughput.redis = failed(error);
    }
  }

  private async startPassthrough(): Promise<void> {
    const child = this.children.spawnTs('passthrough', 'passthrough.ts', {
      env: { ...process.env, PASSTHROUGH_TARGET: this.fake.url, PORT: '0' },
      logFile: path.join(this.workDir, 'passthrough.log'),
    });
    this.passthrough = { child, url: (await whenReady<{ url: string }>(child, 30_000)).url };
  }

  private async startNestFloor(): Promise<void> {
    try {
      const child = this.children.spawnTs('nest-floor', 'nest-floor.ts', {
        env: { ...process.env, NEST_FLOOR_TARGET: this.fake.url, PORT: '0' },
        logFile: path.join(this.workDir, 'nest-floor.log'),
        // The proxy's V8 flags, so that the floor differs from it by the proxy's own code only.
        nodeArgs: [...proxyNodeArgs(), ...profileArgs(this.options.profileDir, 'nest-floor')],
      });
      this.nestFloor = { child, url: (await whenReady<{ url: string }>(child, 60_000)).url };
    } catch (error) {
      this.results.throughput['nest-floor'] = failed(error);
    }
  }

  private startProxy(
    name: string,
    env: Record<string, string>,
    fake = this.fake,
  ): Promise<ProxyProcess> {
    return ProxyProcess.start(this.children, name, {
      env: { ...fake.env, ...env },
      workDir: this.workDir,
      profileDir: this.options.profileDir,
    });
  }

  /** Spawn to healthy with N credential files, a few times; the last instance serves Code Assist. */
  private async measureStartup(): Promise<void> {
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    let loaded: number | undefined;
    const wantLoad = this.wants.throughput('code-assist');
    const count = this.wants.startup ? Math.max(1, this.options.startupRuns) : 1;
    try {
      for (let i = 0; i < count; i++) {
        const proxy = await this.startProxy('proxy-oauth', {
          PERSISTENT_STORAGE_PATH: this.credentialsDir,
        });
        runs.push(round(proxy.startupMs, 0));
        cpuRuns.push(round(proxy.startupCpuMs, 0));
        loaded = proxy.health.credentials;
        if (i === count - 1 && wantLoad) this.oauthProxy = proxy;
        else await proxy.stop();
      }
      const result: StartupResult = {
        files: this.options.credentialFiles,
        loaded,
        runsMs: runs,
        medianMs: round(median(runs), 0),
        cpuRunsMs: cpuRuns,
        cpuMedianMs: round(median(cpuRuns), 0),
        emptyMs: round(this.keyProxy.startupMs, 0),
      };
      log(
        `start-up with ${result.files} files: ${runs.join(', ')} ms ` +
          `(CPU ${cpuRuns.join(', ')} ms; ${loaded} credentials loaded)`,
      );
      if (this.wants.startup) this.results.startup = ok(result);
    } catch (error) {
      if (this.wants.startup) this.results.startup = failed(error);
      if (wantLoad) this.results.throughput['code-assist'] = failed(error);
    }
  }

  /**
   * Every selected load at saturation, warmed up, then in rounds: each load in turn for
   * `durationS` seconds, the order reversed every other round, so that the routes read against
   * one another (the proxy against the Nest floor) saw the same box; a drift in the box's load
   * falls on all of them. Each load's figure is its total over the rounds, with every round's
   * own kept for the per-round ratios the report reads. Then each at the fixed rate.
   */
  private async throughputRounds(loads: Load[]): Promise<void> {
    const o = this.options;
    const ready: { load: Load; url: string; pid: number; spec: HttpRequestSpec }[] = [];
    for (const load of loads) {
      const target = this.loadTarget(load);
      if ('reason' in target) {
        this.results.throughput[load] = target.reason;
        continue;
      }
      const problem = await probe(target.url, target.spec);
      if (problem) {
        const pending = load === 'openai' && problem.startsWith('HTTP 404');
        log(`${load}: ${pending ? 'route not built yet' : 'failed'}: ${problem}`);
        this.results.throughput[load] = {
          status: pending ? 'pending' : 'failed',
          reason: pending ? 'route not built yet' : problem,
        };
        continue;
      }
      ready.push({ load, ...target });
    }
    const loadOnce = (target: (typeof ready)[number], durationS: number) =>
      runLoad({
        baseUrl: target.url,
        connections: o.connections,
        durationS,
        requests: [target.spec],
      });
    for (const target of ready) await loadOnce(target, o.warmupS);
    const rounds = new Map<Load, ThroughputResult[]>(ready.map((t) => [t.load, []]));
    for (let r = 0; r < o.rounds; r++) {
      for (const target of r % 2 === 0 ? ready : [...ready].reverse()) {
        // A server's collector and sockets keep working for a moment after its load stops: that
        // would be taken from the next load's share of the cores.
        await delay(ROUND_SETTLE_MS);
        const cpuBefore = cpuTimeMs(target.pid);
        const measured = await loadOnce(target, o.durationS);
        const cpu = cpuTimeMs(target.pid) - cpuBefore;
        rounds.get(target.load)!.push({
          ...measured,
          serverCpuMsPerRequest: round(cpu / Math.max(1, measured.ok), 4),
        });
      }
    }
    for (const target of ready) {
      const own = rounds.get(target.load)!;
      const result: ThroughputResult = {
        ...total(own),
        rounds: own.map((x) => ({ rps: x.rps, cpuMsPerRequest: x.serverCpuMsPerRequest })),
      };
      log(
        `${target.load}: ${result.rps} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
          `${result.serverCpuMsPerRequest} ms CPU/request, ${result.errors + result.non2xx} failed` +
          (own.length > 1 ? ` (rounds ${own.map((x) => x.rps).join(', ')} req/s)` : ''),
      );
      this.results.throughput[target.load] = ok(result);
    }
    // At saturation a closed loop's latency is connections ÷ throughput (Little's law), so the
    // hop's own cost is read at an offered rate every server can carry.
    for (const target of ready) {
      const paced = await runPaced({
        baseUrl: target.url,
        spec: target.spec,
        rate: o.fixedRate,
        durationS: Math.max(2, o.durationS / 2),
        connections: o.connections,
      });
      this.results.fixedRate[target.load] = ok(paced);
      log(`${target.load} at ${o.fixedRate} req/s: p50 ${paced.p50Ms} ms, p99 ${paced.p99Ms} ms`);
    }
  }

  private loadTarget(
    load: Load,
  ): { url: string; pid: number; spec: HttpRequestSpec } | { reason: Outcome<ThroughputResult> } {
    const native = nativeRequest({ stream: false, apiKey: BENCH_PASSWORD });
    switch (load) {
      case 'passthrough':
        if (!this.passthrough) {
          return { reason: { status: 'failed', reason: 'pass-through not running' } };
        }
        return {
          url: this.passthrough.url,
          pid: this.passthrough.child.pid,
          spec: nativeRequest({ stream: false, apiKey: API_KEYS[0] }),
        };
      case 'nest-floor':
        if (!this.nestFloor?.child.running) {
          return {
            reason: this.results.throughput['nest-floor'] ?? {
              status: 'failed',
              reason: 'Nest floor not running',
            },
          };
        }
        return {
          url: this.nestFloor.url,
          pid: this.nestFloor.child.pid,
          spec: nativeRequest({ stream: false, apiKey: API_KEYS[0] }),
        };
      case 'native':
        return { url: this.keyProxy.url, pid: this.keyProxy.pid, spec: native };
      case 'code-assist':
        if (!this.oauthProxy?.child.running) {
          return {
            reason: this.results.throughput['code-assist'] ?? {
              status: 'failed',
              reason: 'OAuth proxy not running',
            },
          };
        }
        return { url: this.oauthProxy.url, pid: this.oauthProxy.pid, spec: native };
      case 'openai':
        return {
          url: this.keyProxy.url,
          pid: this.keyProxy.pid,
          spec: openAiRequest({ stream: false }),
        };
      case 'redis':
        if (!this.redisProxy?.child.running) {
          return {
            reason: this.results.throughput.redis ?? {
              status: 'failed',
              reason: 'the Redis proxy is not running (is redis-server installed?)',
            },
          };
        }
        return { url: this.redisProxy.url, pid: this.redisProxy.pid, spec: native };
    }
  }

  private async streaming(): Promise<void> {
    const o = this.options;
    const modes = {
      direct: {
        url: this.fake.url,
        spec: (m: string) => nativeRequest({ stream: true, apiKey: API_KEYS[0], marker: m }),
      },
      // What any extra hop costs a stream: the floor under the proxy's figures.
      passthrough: {
        url: this.passthrough?.url ?? '',
        spec: (m: string) => nativeRequest({ stream: true, apiKey: API_KEYS[0], marker: m }),
      },
      native: {
        url: this.keyProxy.url,
        spec: (m: string) => nativeRequest({ stream: true, apiKey: BENCH_PASSWORD, marker: m }),
      },
      openai: {
        url: this.keyProxy.url,
        spec: (m: string) => openAiRequest({ stream: true, marker: m }),
      },
    };
    for (const [mode, { url, spec }] of Object.entries(modes) as [
      keyof typeof modes,
      (typeof modes)['direct'],
    ][]) {
      if (!url) continue;
      const problem = await probe(url, spec('probe'));
      if (problem) {
        const pending = mode === 'openai' && problem.startsWith('HTTP 404');
        this.results.streaming[mode] = {
          status: pending ? 'pending' : 'failed',
          reason: pending ? 'route not built yet' : problem,
        };
        log(`streaming ${mode}: ${problem}`);
        continue;
      }
      const timing = await timeStreams({
        baseUrl: url,
        spec,
        count: o.streams,
        concurrency: o.streamConcurrency,
        fake: this.fake,
        tag: `bm${mode}`,
      });
      this.results.streaming[mode] = ok(timing);
      log(
        `streaming ${mode}: TTFB p50 ${timing.ttfbP50Ms} ms, event p50 ${timing.eventP50Ms} ms, ${timing.failed} failed, ${timing.unmatched} unpaired`,
      );
    }
  }

  /** A separate fake whose streams are slow enough that every one of them is open at once. */
  private async openStreams(): Promise<Outcome<OpenStreamsResult>> {
    const o = this.options;
    let slowFake: FakeGoogleProcess | undefined;
    let proxy: ProxyProcess | undefined;
    try {
      slowFake = await FakeGoogleProcess.start(
        this.children,
        'fake-google-slow',
        {
          latencyMs: o.latencyMs,
          streamEvents: SLOW_STREAM_EVENTS,
          streamIntervalMs: o.openStreamIntervalMs,
        },
        this.workDir,
      );
      await slowFake.addApiKeys(API_KEYS);
      proxy = await this.startProxy(
        'proxy-streams',
        {
          GEMINI_API_KEYS: API_KEYS.join(','),
          PERSISTENT_STORAGE_PATH: this.emptyDir('no-credentials-2'),
        },
        slowFake,
      );
      const streamMs = o.latencyMs + (SLOW_STREAM_EVENTS - 1) * o.openStreamIntervalMs;
      log(`holding ${o.openStreams} streams of ${(streamMs / 1000).toFixed(1)} s each`);
      const result = await holdOpenStreams({
        baseUrl: proxy.url,
        spec: nativeRequest({ stream: true, apiKey: BENCH_PASSWORD }),
        count: o.openStreams,
        expectedEvents: SLOW_STREAM_EVENTS,
        pid: proxy.pid,
        deadlineMs: Math.max(30_000, 6 * streamMs + 15_000),
      });
      log(
        `open streams: peak RSS ${result.rssPeakMB} MB, ${result.peakOpen} open at once, ${result.errors} errors`,
      );
      return ok(result);
    } catch (error) {
      return failed(error);
    } finally {
      await proxy?.stop();
      await slowFake?.child.stop();
    }
  }

  /**
   * RSS of a fresh proxy at rest, over N requests (native, and OpenAI when it exists, in turn),
   * and once it has rested again for `soakSettleS` seconds.
   */
  private async soak(): Promise<Outcome<SoakResult>> {
    const o = this.options;
    let proxy: ProxyProcess | undefined;
    try {
      proxy = await this.startProxy('proxy-soak', {
        GEMINI_API_KEYS: API_KEYS.join(','),
        PERSISTENT_STORAGE_PATH: this.emptyDir('no-credentials-soak'),
      });
      const native = nativeRequest({ stream: false, apiKey: BENCH_PASSWORD });
      const openai = openAiRequest({ stream: false });
      const withOpenAi = (await probe(proxy.url, openai)) === undefined;
      const requests = withOpenAi ? [native, openai] : [native];
      const mix = withOpenAi ? 'native + OpenAI alternating' : 'native only (OpenAI route missing)';
      const pid = proxy.pid;
      await delay(2_000);
      const idle = round(rssMB(pid), 1);
      // V8 grows its heap in steps for a while under a new load: a long warm-up keeps that out.
      const warmup = Math.max(o.connections * 20, Math.round(o.soakRequests / 5));
      await runLoad({ baseUrl: proxy.url, connections: o.connections, amount: warmup, requests });
      // Under load RSS is a sawtooth (GC returns memory every few seconds), so single samples
      // depend on the phase: the figure compares the peaks of the first and the last fifth.
      const trace: number[] = [];
      const sampler = setInterval(() => trace.push(round(rssMB(pid), 1)), 500);
      log(`soak: idle ${idle} MB; ${o.soakRequests} requests (${mix}) after ${warmup} to warm up`);
      const load = await runLoad({
        baseUrl: proxy.url,
        connections: o.connections,
        amount: o.soakRequests,
        requests,
      }).finally(() => clearInterval(sampler));
      if (trace.length < 4) trace.push(round(rssMB(pid), 1));
      const fifth = Math.max(2, Math.floor(trace.length / 5));
      const first = Math.max(...trace.slice(0, fifth));
      const last = Math.max(...trace.slice(-fifth));
      await delay(o.soakSettleS * 1000);
      const settled = round(rssMB(pid), 1);
      const result: SoakResult = {
        requests: o.soakRequests,
        mix,
        rps: load.rps,
        errors: load.errors,
        non2xx: load.non2xx,
        rssIdleMB: idle,
        rssStartMB: first,
        rssEndMB: last,
        rssMinMB: Math.min(...trace),
        rssMaxMB: Math.max(...trace),
        rssSettledMB: settled,
        settleS: o.soakSettleS,
        growthPct: round(((last - first) / first) * 100, 1),
        trace,
      };
      log(
        `soak: RSS idle ${idle}, peaks ${first} → ${last} MB (${result.growthPct} %), ${settled} MB ${o.soakSettleS} s later`,
      );
      return ok(result);
    } catch (error) {
      return failed(error);
    } finally {
      await proxy?.stop();
    }
  }

  private emptyDir(name: string): string {
    const dir = path.join(this.workDir, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}

function failed(error: unknown): { status: 'failed'; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  log(`failed: ${message}`);
  return { status: 'failed', reason: message.split('\n')[0].slice(0, 160) };
}

/**
 * One side's rounds as one load: requests summed, CPU per request the mean of the rounds' (each
 * round weighs the same whatever its throughput), latency percentiles their medians.
 */
function total(rounds: ThroughputResult[]): ThroughputResult {
  const sum = (pick: (r: ThroughputResult) => number) => rounds.reduce((a, r) => a + pick(r), 0);
  const okCount = sum((r) => r.ok);
  const durationS = sum((r) => r.durationS);
  return {
    rps: round(okCount / durationS, 0),
    ok: okCount,
    p50Ms: round(median(rounds.map((r) => r.p50Ms)), 3),
    p99Ms: round(median(rounds.map((r) => r.p99Ms)), 3),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    durationS: round(durationS, 2),
    serverCpuMsPerRequest: round(sum((r) => r.serverCpuMsPerRequest) / rounds.length, 4),
  };
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((a, x) => a + Math.log(x), 0) / values.length);
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function writeResults(options: BenchOptions, results: BenchResults): void {
  const rows = buildRows(results);
  process.stdout.write(`\n${renderTable(rows)}\n\n`);
  mkdirSync(options.resultsDir, { recursive: true });
  const json = path.join(options.resultsDir, 'latest.json');
  const md = path.join(options.resultsDir, 'latest.md');
  writeFileSync(json, `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  writeFileSync(md, renderMarkdown(results, rows));
  log(`wrote ${json} and ${md}`);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`${error.message}\n\n`);
    process.stderr.write(USAGE);
    return error.message ? 2 : 0;
  }
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'gemini-proxy-bench-'));
  const children = new Children(workDir);
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= children.stopAll().finally(() => {
      // BENCH_KEEP=1 keeps the children's logs and the credential files for a look afterwards.
      if (process.env.BENCH_KEEP === '1') log(`kept ${workDir}`);
      else rmSync(workDir, { recursive: true, force: true });
    }));
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping everything the benchmark started`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  const started = performance.now();
  const bench = new Bench(options, children, workDir);
  try {
    await bench.run();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`[bench] could not run: ${message}\n`);
    await cleanup();
    return 1;
  }
  await cleanup();
  const meta = bench.results.meta;
  meta.finishedAt = new Date().toISOString();
  meta.wallS = round((performance.now() - started) / 1000, 1);
  meta.loadAverage.after = round(os.loadavg()[0], 2);
  writeResults(options, bench.results);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

/** A loopback port free a moment ago, for redis-server (which cannot be told to pick one). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
