import { createHash } from 'node:crypto';
import { nextPacificMidnight } from '../../src/upstream/quota-reset';
import { googleError, helpLinks } from './google-errors';
import { countRequestWords, countWords, textOf } from './model-replies';
import { isRecord, type GenerateContentRequest } from './types';

/** Google's limits for one model, per project (ai.google.dev/gemini-api/docs/rate-limits). */
export interface QuotaRule {
  rpm?: number;
  tpm?: number;
  rpd?: number;
}

export interface QuotaSetup {
  /** The time Google counts by; tests pass their movable clock. */
  now: () => number;
  /** Limits by model; `*` for every model without its own. */
  limits: Record<string, QuotaRule>;
}

interface Counts {
  minute: number;
  minuteRequests: number;
  minuteTokens: number;
  day: number;
  dayRequests: number;
}

const MINUTE_MS = 60_000;
const METRIC = 'generativelanguage.googleapis.com';

/**
 * Google's rate limits as the Gemini API enforces them: per project (keys of one project share
 * them) and model, requests and input tokens per clock minute and requests per Pacific day, and a
 * 429 RESOURCE_EXHAUSTED with one QuotaFailure violation per limit exceeded, Help links and a
 * RetryInfo, shaped as Google sends them (python-genai #2044, gemini-balance #367). Also Gemini's
 * implicit caching: a prompt whose opening this project sent before reports the repeated part as
 * `cachedContentTokenCount`.
 */
export class FakeQuotas {
  private setup: QuotaSetup | undefined;
  private readonly counts = new Map<string, Counts>();
  private readonly projects = new Map<string, string>();
  private readonly prefixes = new Map<string, Set<string>>();
  /** 429s answered for a quota, by key and model. */
  readonly rejections = new Map<string, number>();
  private caching = false;
  /** Code Assist accounts' `retrieveUserQuota` buckets, by e-mail. */
  readonly userQuota = new Map<string, unknown[]>();

  enforce(setup: QuotaSetup | undefined): void {
    this.setup = setup;
    this.counts.clear();
    this.rejections.clear();
  }

  /** Keys of one project share its quota; a key without one is its own project. */
  setProject(key: string, project: string): void {
    this.projects.set(key, project);
  }

  cacheImplicitly(on: boolean): void {
    this.caching = on;
    this.prefixes.clear();
  }

  projectOf(key: string): string {
    return this.projects.get(key) ?? `project-of-${key.slice(-5)}`;
  }

  /** A 429 body when the call would exceed a limit; else counts the call and returns undefined. */
  admit(key: string, model: string, request: GenerateContentRequest): unknown {
    const setup = this.setup;
    if (!setup) return undefined;
    const rule = setup.limits[model] ?? setup.limits['*'];
    if (!rule) return undefined;
    const now = setup.now();
    const id = `${this.projectOf(key)}\u0000${model}`;
    const counts = this.current(id, now);
    const tokens = countRequestWords(request);
    const violations: unknown[] = [];
    if (rule.rpd !== undefined && counts.dayRequests + 1 > rule.rpd) {
      violations.push(
        violation('requests', 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', model, rule.rpd),
      );
    }
    if (rule.rpm !== undefined && counts.minuteRequests + 1 > rule.rpm) {
      violations.push(
        violation(
          'requests',
          'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          model,
          rule.rpm,
        ),
      );
    }
    if (rule.tpm !== undefined && counts.minuteTokens + tokens > rule.tpm) {
      violations.push(
        violation(
          'input_token_count',
          'GenerateContentInputTokensPerModelPerMinute-FreeTier',
          model,
          rule.tpm,
        ),
      );
    }
    if (violations.length > 0) {
      const tally = `${key}\u0000${model}`;
      this.rejections.set(tally, (this.rejections.get(tally) ?? 0) + 1);
      return quotaExceeded(violations, model, (counts.minute + MINUTE_MS - now) / 1000);
    }
    counts.minuteRequests += 1;
    counts.minuteTokens += tokens;
    counts.dayRequests += 1;
    return undefined;
  }

  /** The prompt tokens this project's cache holds for the request's opening (0 when none). */
  cachedTokens(key: string, model: string, request: GenerateContentRequest): number {
    if (!this.caching) return 0;
    const id = `${this.projectOf(key)}\u0000${model}`;
    let seen = this.prefixes.get(id);
    if (!seen) this.prefixes.set(id, (seen = new Set()));
    const system = isRecord(request.systemInstruction) ? textOf(request.systemInstruction) : '';
    const hash = createHash('sha256').update(system);
    let cached = 0;
    let tokens = countWords(system);
    // The system prompt alone is a prefix too: every conversation of one agent repeats it.
    const systemOnly = hash.copy().digest('hex');
    if (system && seen.has(systemOnly)) cached = tokens;
    if (system) seen.add(systemOnly);
    // Every earlier turn is a prefix the next request of the conversation repeats.
    for (const content of request.contents.slice(0, -1)) {
      hash.update(`\u0000${isRecord(content) ? textOf(content) : ''}`);
      tokens += isRecord(content) ? countWords(textOf(content)) : 0;
      const digest = hash.copy().digest('hex');
      if (seen.has(digest)) cached = tokens;
      seen.add(digest);
    }
    return cached;
  }

  private current(id: string, now: number): Counts {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const day = nextPacificMidnight(now);
    let c = this.counts.get(id);
    if (!c)
      this.counts.set(
        id,
        (c = { minute, minuteRequests: 0, minuteTokens: 0, day, dayRequests: 0 }),
      );
    if (c.minute !== minute) Object.assign(c, { minute, minuteRequests: 0, minuteTokens: 0 });
    if (c.day !== day) Object.assign(c, { day, dayRequests: 0 });
    return c;
  }
}

function violation(metric: string, quotaId: string, model: string, value: number) {
  return {
    quotaMetric: `${METRIC}/generate_content_free_tier_${metric}`,
    quotaId,
    quotaDimensions: { location: 'global', model },
    quotaValue: String(value),
  };
}

function quotaExceeded(violations: unknown[], model: string, retrySeconds: number) {
  const lines = (violations as { quotaMetric: string; quotaValue: string }[])
    .map(
      (v) =>
        `* Quota exceeded for metric: ${v.quotaMetric}, limit: ${v.quotaValue}, model: ${model}`,
    )
    .join('\n');
  return googleError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \n' +
      `${lines}\nPlease retry in ${retrySeconds.toFixed(6)}s.`,
    [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations },
      helpLinks([
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ]),
      // Google truncates RetryInfo to whole seconds ("0s" beside "retry in 964.97ms", gemini-balance #367).
      {
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: `${Math.floor(retrySeconds)}s`,
      },
    ],
  );
}
