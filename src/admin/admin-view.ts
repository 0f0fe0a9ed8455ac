import * as path from 'node:path';
import { CredentialKind } from '../credentials/credential';
import { CredentialState, CredentialStatus } from '../credentials/credential-pool';
import { CooldownKind } from '../credentials/pool-state-store';

/** One credential as `/admin/credentials` shows it: ids are emails or key suffixes, never secrets. */
export interface AdminCredential {
  id: string;
  kind: CredentialKind;
  label: string;
  email: string | null;
  project: string | null;
  /** The credential file's name (not its folder), for accounts loaded from files. */
  file: string | null;
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

export interface AdminStatus {
  generatedAt: string;
  replica: AdminReplica;
  summary: Record<CredentialState, number> & { total: number };
  credentials: AdminCredential[];
}

export function toAdminStatus(
  statuses: readonly CredentialStatus[],
  now: number,
  replica: AdminReplica = { id: 'local', sharedState: 'memory' },
): AdminStatus {
  const summary = { total: statuses.length, ok: 0, cooling: 0, disabled: 0 };
  for (const s of statuses) summary[s.state]++;
  return {
    generatedAt: iso(now),
    replica,
    summary,
    credentials: statuses.map((s) => toAdminCredential(s)),
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
