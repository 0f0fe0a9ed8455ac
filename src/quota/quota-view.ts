import { Credential } from '../credentials/credential';
import { LIMIT_NAMES, LimitName, QuotaLimits } from '../config/quota-limits';
import { QuotaEntry, QuotaWindows } from './quota-store';
import { CodeAssistBucket } from './code-assist-quota';

/** One window of one credential and model, as `GET /admin/api/quota` answers it. */
export interface QuotaWindowView {
  limit: LimitName;
  used: number;
  /** Undefined while the limit is not known (neither declared nor learned yet). */
  max?: number;
  /** Where the limit comes from. */
  source?: 'declared' | 'learned';
  /** ISO time at which the window reopens with nothing counted. */
  reopensAt: string;
  /** 0..1 of the window still free; undefined without a limit. */
  headroom?: number;
}

export interface QuotaModelView {
  model: string;
  windows: QuotaWindowView[];
  /** Code Assist's own figure (`retrieveUserQuota`) where the account has one. */
  codeAssist?: { remainingFraction: number; resetAt?: string };
}

export interface QuotaCredentialView {
  id: string;
  /** `p:<project>` when the credential shares a Google project's quota, else `c:<id>`. */
  subject: string;
  models: QuotaModelView[];
}

export interface QuotaView {
  at: string;
  routing: boolean;
  affinityTtlSeconds: number;
  credentials: QuotaCredentialView[];
}

/** The figures per credential and model, from the store's entries and what was declared. */
export function quotaView(input: {
  now: number;
  windows: QuotaWindows;
  routing: boolean;
  affinityTtlMs: number;
  credentials: readonly Credential[];
  entries: readonly QuotaEntry[];
  subjectOf(c: Credential): string;
  declaredFor(c: Credential, model: string): QuotaLimits;
  codeAssist(id: string): ReadonlyMap<string, CodeAssistBucket> | undefined;
}): QuotaView {
  const bySubject = new Map<string, QuotaEntry[]>();
  for (const e of input.entries) {
    const list = bySubject.get(e.subject) ?? [];
    list.push(e);
    bySubject.set(e.subject, list);
  }
  return {
    at: new Date(input.now).toISOString(),
    routing: input.routing,
    affinityTtlSeconds: Math.round(input.affinityTtlMs / 1000),
    credentials: input.credentials.map((c) => {
      const subject = input.subjectOf(c);
      const entries = [...(bySubject.get(subject) ?? [])].sort((a, b) =>
        a.model.localeCompare(b.model),
      );
      const buckets = input.codeAssist(c.id);
      const models: QuotaModelView[] = entries.map((e) => ({
        model: e.model,
        windows: windowsOf(e, input.declaredFor(c, e.model), input.windows),
        ...codeAssistOf(buckets?.get(e.model)),
      }));
      for (const [model, bucket] of buckets ?? []) {
        if (!models.some((m) => m.model === model)) {
          models.push({ model, windows: [], ...codeAssistOf(bucket) });
        }
      }
      return { id: c.id, subject, models };
    }),
  };
}

function windowsOf(e: QuotaEntry, declared: QuotaLimits, windows: QuotaWindows): QuotaWindowView[] {
  return LIMIT_NAMES.map((limit) => {
    const count = limit === 'rpd' ? e.counts.day : e.counts.minute;
    const used = limit === 'tpm' ? count.tokens : count.requests;
    const max = declared[limit] ?? e.learned[limit];
    const source =
      declared[limit] !== undefined ? 'declared' : max !== undefined ? 'learned' : undefined;
    const end = limit === 'rpd' ? windows.day.end : windows.minute.end;
    return {
      limit,
      used,
      max,
      source,
      reopensAt: new Date(end).toISOString(),
      headroom: max === undefined ? undefined : max === 0 ? 0 : Math.max(0, 1 - used / max),
    };
  });
}

function codeAssistOf(bucket: CodeAssistBucket | undefined) {
  if (!bucket) return {};
  return {
    codeAssist: {
      remainingFraction: bucket.remainingFraction,
      resetAt: bucket.resetAt === undefined ? undefined : new Date(bucket.resetAt).toISOString(),
    },
  };
}
