import * as path from 'node:path';
import { CredentialKind } from '../credentials/credential';
import { CredentialState, CredentialStatus } from '../credentials/credential-pool';
import { CooldownKind } from '../credentials/pool-state-store';
import type { ModelMismatch } from '../models/served-models';

/** One credential as `/admin/credentials` shows it: ids are emails or key suffixes, never secrets. */
export interface AdminCredential {
  id: string;
  kind: CredentialKind;
  label: string;
  email: string | null;
  project: string | null;
  /** The credential file's name (not its folder), for accounts loaded from files. */
  file: string | null;
  /** Its own outbound proxy as scheme://host:port (never the user name or password); absent: the shared route. */
  proxy?: string;
  state: CredentialState;
  cooldowns: {
    model: string;
    reason: string;
    kind: CooldownKind;
    until: string;
    remainingSeconds: number;
  }[];
  disabled: { reason: string; message: string; fixUrl: string | null; since: string } | null;
  requests: number;
  successes: number;
  rateLimits: number;
  errors: number;
  lastUsedAt: string | null;
  lastError: { at: string; status: number; reason: string; message: string } | null;
}

/** Which replica answered, and whether the view is shared with the others (REDIS_URL). */
export interface AdminReplica {
  id: string;
  /** `memory`: this process alone; `redis`: shared; `redis-unreachable`: local until Redis returns. */
  sharedState: 'memory' | 'redis' | 'redis-unreachable';
}

/** Answers Google served with another model than the one asked for (users pay the served one). */
export interface AdminModelMismatch {
  asked: string;
  served: string;
  count: number;
  lastAt: string;
  lastCredential: string;
  /** When Google announced this re-route; null for one it did not announce. */
  announcedSince: string | null;
}

/** Counted by this replica since it started; `overflow` answers fell outside the bounded table. */
export interface AdminServedModels {
  mismatches: AdminModelMismatch[];
  overflow: number;
}

/** What this replica's store of `/v1/responses` results holds, against RESPONSES_STORE_MAX_BYTES. */
export interface AdminResponseStore {
  entries: number;
  bytes: number;
  maxBytes: number;
  /** Kept on this replica only: Redis refused them (REDIS_URL). */
  unshared: number;
}

export interface AdminStatus {
  generatedAt: string;
  replica: AdminReplica;
  responseStore?: AdminResponseStore;
  summary: Record<CredentialState, number> & { total: number };
  credentials: AdminCredential[];
  servedModels: AdminServedModels;
}

export function toAdminStatus(
  statuses: readonly CredentialStatus[],
  now: number,
  replica: AdminReplica = { id: 'local', sharedState: 'memory' },
  served: { mismatches: readonly ModelMismatch[]; overflow: number } = {
    mismatches: [],
    overflow: 0,
  },
): AdminStatus {
  const summary = { total: statuses.length, ok: 0, cooling: 0, disabled: 0 };
  for (const s of statuses) summary[s.state]++;
  return {
    generatedAt: iso(now),
    replica,
    summary,
    credentials: statuses.map((s) => toAdminCredential(s)),
    servedModels: {
      mismatches: served.mismatches.map((m) => ({
        asked: m.asked,
        served: m.served,
        count: m.count,
        lastAt: iso(m.lastAt),
        lastCredential: m.lastCredentialId,
        announcedSince: m.announcedSince,
      })),
      overflow: served.overflow,
    },
  };
}

function toAdminCredential(s: CredentialStatus): AdminCredential {
  const { counters } = s;
  return {
    id: s.id,
    kind: s.kind,
    label: s.label,
    email: s.email ?? null,
    project: s.projectId ?? null,
    file: s.sourceFile ? path.basename(s.sourceFile) : null,
    ...(s.proxy ? { proxy: s.proxy } : {}),
    state: s.state,
    cooldowns: s.cooldowns
      .map((c) => ({
        model: c.model,
        reason: c.reason,
        kind: c.kind,
        until: iso(c.until),
        remainingSeconds: Math.ceil(c.remainingMs / 1000),
      }))
      .sort((a, b) => a.remainingSeconds - b.remainingSeconds),
    disabled: s.disabled
      ? {
          reason: s.disabled.reason,
          message: s.disabled.message,
          fixUrl: safeLink(s.disabled.fixUrl),
          since: iso(s.disabled.at),
        }
      : null,
    requests: counters.requests,
    successes: counters.successes,
    rateLimits: counters.rateLimits,
    errors: counters.errors,
    lastUsedAt: counters.lastUsedAt === undefined ? null : iso(counters.lastUsedAt),
    lastError: counters.lastError
      ? { ...counters.lastError, at: iso(counters.lastError.at) }
      : null,
  };
}

/** Only http(s) links from Google's error bodies become clickable; anything else is dropped. */
export function safeLink(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
