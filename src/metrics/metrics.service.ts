import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CredentialPool, CredentialState } from '../credentials/credential-pool';
import { CompletedRequest } from '../logging/request-record';
import { RequestTracker } from '../logging/request-tracker';
import {
  AttemptEvent,
  CooldownEvent,
  DisableEvent,
  DispatchEvent,
  FirstTokenEvent,
  RetryEvent,
  ServedEvent,
  StreamEndEvent,
  UpstreamEventMap,
  UpstreamEvents,
  UsageEvent,
} from '../upstream/upstream-events';
import { SharedStateStatus } from '../redis/shared-state-status';
import { isOtherModel, servedModelName } from '../models/served-models';
import { UsageLedger } from '../usage/usage-ledger';
import { BoundedLabel } from '../quota/bounded-label';
import { registerQuotaGauges } from '../quota/quota-metrics';
import { QuotaService } from '../quota/quota.service';

const PREFIX = 'gemini_proxy_';
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 300];
const STATES: CredentialState[] = ['ok', 'cooling', 'disabled'];

/**
 * Prometheus metrics for the proxy and its pool, in a registry of its own (several apps in one
 * process, as in tests, never collide). Everything is fed by events; the credential-state gauge
 * is read from the pool when scraped. Labels are route templates, bounded model and reason sets,
 * and small fixed vocabularies; never raw URLs or credential secrets.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly models = new BoundedLabel(100);
  private readonly reasons = new BoundedLabel(100);
  /** Client key ids only (set by the guard, never from the request), bounded all the same. */
  private readonly clients = new BoundedLabel(2_000);
  private readonly unsubscribe: (() => void)[] = [];

  private readonly requests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by route template, model and status (499: the client left first).',
    labelNames: ['route', 'model', 'status'] as const,
    registers: [this.registry],
  });
  private readonly clientRequests = new Counter({
    name: `${PREFIX}client_key_requests_total`,
    help: 'Requests a client key authenticated, by key id and status (the password is not counted here).',
    labelNames: ['client', 'status'] as const,
    registers: [this.registry],
  });
  private readonly clientTokens = new Counter({
    name: `${PREFIX}client_key_tokens_total`,
    help: "Google's tokens (prompt, output and thoughts) used by each client key's requests.",
    labelNames: ['client'] as const,
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from request to the end of the answer (whole stream included), by route template.',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly upstreamLatency = new Histogram({
    name: `${PREFIX}upstream_latency_seconds`,
    help: 'One call to Google until it answered (streams: until its first event), by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly firstToken = new Histogram({
    name: `${PREFIX}time_to_first_token_seconds`,
    help: "From a streamed request's dispatch (failovers included) to Google's first event, by model.",
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly attempts = new Counter({
    name: `${PREFIX}upstream_attempts_total`,
    help: 'Calls to Google, by action and by what the proxy made of the answer (success or the failure verdict).',
    labelNames: ['action', 'result'] as const,
    registers: [this.registry],
  });
  private readonly failovers = new Counter({
    name: `${PREFIX}failovers_total`,
    help: 'Moves to another credential within one request, by action.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: `${PREFIX}retries_total`,
    help: 'Retries on the same credential (a forced token refresh after a 401).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly cooldowns = new Counter({
    name: `${PREFIX}cooldowns_total`,
    help: 'Credentials put on cooldown, by kind (rate-limit, transient, unavailable) and Google reason.',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly disables = new Counter({
    name: `${PREFIX}credential_disables_total`,
    help: 'Credentials disabled until a person acts, by Google reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly streams = new Counter({
    name: `${PREFIX}streams_total`,
    help: 'Streamed answers by how they ended: complete, error (after the first event), aborted (client left).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: `${PREFIX}tokens_total`,
    help: 'Tokens reported by Google, by model and type (prompt, completion, thoughts).',
    labelNames: ['model', 'type'] as const,
    registers: [this.registry],
  });

  private readonly servedMismatches = new Counter({
    name: `${PREFIX}served_model_mismatches_total`,
    help: 'Answers Google says another model ran than the one asked for (billed at the served model’s rate).',
    labelNames: ['requested', 'served'] as const,
    registers: [this.registry],
  });

  constructor(
    events: UpstreamEvents,
    tracker: RequestTracker,
    pool: CredentialPool,
    shared: SharedStateStatus,
    ledger: UsageLedger,
    quota: QuotaService,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.ledgerMetrics(ledger);
    registerQuotaGauges(this.registry, PREFIX, () => quota.view());
    if (shared.redisUp !== undefined) this.redisGauge(shared);
    new Gauge({
      name: `${PREFIX}credentials`,
      help: 'Credentials in the pool by state, read at scrape time.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const counts: Record<CredentialState, number> = { ok: 0, cooling: 0, disabled: 0 };
        for (const s of pool.status()) counts[s.state]++;
        for (const state of STATES) this.set({ state }, counts[state]);
      },
    });
    this.unsubscribe.push(tracker.onComplete((r) => this.onRequest(r)));
    this.listen(events, 'attempt', (e: AttemptEvent) => this.onAttempt(e));
    this.listen(events, 'dispatch', (e: DispatchEvent) => {
      if (e.attempts > 1) this.failovers.inc({ action: e.action }, e.attempts - 1);
    });
    this.listen(events, 'firstToken', (e: FirstTokenEvent) =>
      this.firstToken.observe({ model: this.models.value(e.model) }, e.ms / 1000),
    );
    this.listen(events, 'usage', (e: UsageEvent) => this.onUsage(e));
    this.listen(events, 'served', (e: ServedEvent) => this.onServed(e));
    this.listen(events, 'retry', (e: RetryEvent) => this.retries.inc({ reason: e.reason }));
    this.listen(events, 'cooldown', (e: CooldownEvent) =>
      this.cooldowns.inc({ kind: e.kind, reason: this.reasons.value(e.reason) }),
    );
    this.listen(events, 'disable', (e: DisableEvent) =>
      this.disables.inc({ reason: this.reasons.value(e.reason) }),
    );
    this.listen(events, 'streamEnd', (e: StreamEndEvent) =>
      this.streams.inc({ outcome: e.outcome }),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /** The exposition text for a scrape. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Read from the ledger at scrape time: rows dropped past its buffer, and rows waiting in it. */
  private ledgerMetrics(ledger: UsageLedger): void {
    new Counter({
      name: `${PREFIX}usage_rows_dropped_total`,
      help: 'Usage ledger rows dropped because the buffer was full while the database was down or slow.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(ledger.dropped);
      },
    });
    new Gauge({
      name: `${PREFIX}usage_rows_pending`,
      help: 'Usage ledger rows waiting in memory to be written to the database.',
      registers: [this.registry],
      collect() {
        this.set(ledger.pending);
      },
    });
  }

  /** Only with REDIS_URL: a 0 without it would read as an outage. */
  private redisGauge(shared: SharedStateStatus): void {
    new Gauge({
      name: `${PREFIX}redis_up`,
      help: '1 while the shared Redis (REDIS_URL) answers; 0 while this replica serves on local state.',
      registers: [this.registry],
      collect() {
        this.set(shared.redisUp ?? 0);
      },
    });
    new Counter({
      name: `${PREFIX}redis_write_failures_total`,
      help: 'Writes Redis refused (down, reconnecting, or full under maxmemory), by store; each was kept on this replica.',
      labelNames: ['store'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [store, count] of shared.writeFailures) this.inc({ store }, count);
      },
    });
  }

  private listen<K extends keyof UpstreamEventMap>(
    events: UpstreamEvents,
    name: K,
    listener: (...args: UpstreamEventMap[K]) => void,
  ): void {
    // @types/node's listener type is a conditional TypeScript cannot resolve for a generic K.
    const typed = listener as Parameters<UpstreamEvents['on']>[1];
    events.on(name, typed);
    this.unsubscribe.push(() => events.off(name, typed));
  }

  private onRequest(r: CompletedRequest): void {
    const status = r.aborted ? '499' : String(r.status);
    this.requests.inc({ route: r.route, model: this.models.value(r.model), status });
    this.requestDuration.observe({ route: r.route }, r.durationMs / 1000);
    if (r.client) {
      const client = this.clients.value(r.client);
      this.clientRequests.inc({ client, status });
      const t = r.tokens;
      if (t) this.clientTokens.inc({ client }, t.prompt + t.completion + t.thoughts);
    }
  }

  private onAttempt(e: AttemptEvent): void {
    const result = e.outcome === 'success' ? 'success' : (e.verdict?.action ?? 'failure');
    this.attempts.inc({ action: e.action, result });
    this.upstreamLatency.observe({ action: e.action, outcome: e.outcome }, e.durationMs / 1000);
  }

  private onServed(e: ServedEvent): void {
    const served = servedModelName(e.servedModel);
    if (!served || !isOtherModel(e.model, served)) return;
    this.servedMismatches.inc({
      requested: this.models.value(e.model),
      served: this.models.value(served),
    });
  }

  private onUsage(e: UsageEvent): void {
    const model = this.models.value(e.model);
    if (e.prompt) this.tokens.inc({ model, type: 'prompt' }, e.prompt);
    if (e.completion) this.tokens.inc({ model, type: 'completion' }, e.completion);
    if (e.thoughts) this.tokens.inc({ model, type: 'thoughts' }, e.thoughts);
  }
}
