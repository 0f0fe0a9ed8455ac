import { CredentialCounters, LastError } from '../credentials/pool-state-store';
import { RedisConnection } from '../redis/redis-connection';

type Delta = { requests: number; successes: number; rateLimits: number; errors: number } & Pick<
  CredentialCounters,
  'lastUsedAt' | 'lastError'
>;

const ZERO: Delta = { requests: 0, successes: 0, rateLimits: 0, errors: 0 };
const FIELDS = ['requests', 'successes', 'rateLimits', 'errors'] as const;

type SentCount = { id: string; field: keyof Delta; value: Delta[keyof Delta] };

/**
 * The pool's counters across replicas: each replica sums its own since the last flush and sends
 * them with HINCRBY (`pool:ctr:{id}`, renewed for `ttlMs` on each flush); what it shows is the
 * shared total it last read plus what it has not sent yet, so a count never goes backwards.
 */
export class SharedCounters {
  private readonly base = new Map<string, CredentialCounters>();
  private readonly pending = new Map<string, Delta>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs: number,
  ) {}

  key(credentialId: string): string {
    return this.redis.key(`pool:ctr:${credentialId}`);
  }

  get(credentialId: string): CredentialCounters {
    const base = this.base.get(credentialId) ?? ZERO;
    const delta = this.pending.get(credentialId) ?? ZERO;
    return {
      requests: base.requests + delta.requests,
      successes: base.successes + delta.successes,
      rateLimits: base.rateLimits + delta.rateLimits,
      errors: base.errors + delta.errors,
      lastUsedAt: latest(base.lastUsedAt, delta.lastUsedAt),
      lastError:
        (delta.lastError?.at ?? 0) >= (base.lastError?.at ?? 0)
          ? (delta.lastError ?? base.lastError)
          : base.lastError,
    };
  }

  recordUse(credentialId: string, at: number): void {
    const d = this.delta(credentialId);
    d.requests++;
    d.lastUsedAt = at;
  }

  recordSuccess(credentialId: string): void {
    this.delta(credentialId).successes++;
  }

  recordFailure(credentialId: string, error: LastError, rateLimited: boolean): void {
    const d = this.delta(credentialId);
    if (rateLimited) d.rateLimits++;
    else d.errors++;
    d.lastError = { ...error };
  }

  forget(credentialId: string): void {
    this.base.delete(credentialId);
    this.pending.delete(credentialId);
  }

  /** Takes the shared totals an HGETALL of `key(id)` returned. */
  adopt(credentialId: string, hash: Record<string, string>): void {
    const n = (field: string) => Number(hash[field] ?? 0) || 0;
    let lastError: LastError | undefined;
    try {
      lastError = hash.lastError ? (JSON.parse(hash.lastError) as LastError) : undefined;
    } catch {
      lastError = undefined;
    }
    this.base.set(credentialId, {
      requests: n('requests'),
      successes: n('successes'),
      rateLimits: n('rateLimits'),
      errors: n('errors'),
      lastUsedAt: hash.lastUsedAt ? Number(hash.lastUsedAt) : undefined,
      lastError,
    });
  }

  /**
   * Sends the counts summed since the last flush, moving them into the shared base. A count Redis
   * refused (full: `OOM command not allowed`) goes back to the pending ones, to be sent again at
   * the next flush, so that the next resync does not take it away.
   */
  async flush(): Promise<void> {
    if (this.pending.size === 0 || !this.redis.isUp) return;
    const batch = [...this.pending];
    for (const [id] of batch) this.base.set(id, this.get(id));
    this.pending.clear();
    const pipeline = this.redis.client.pipeline();
    /** What each command of the pipeline sent, aligned with its replies (none for PEXPIRE). */
    const sent: (SentCount | undefined)[] = [];
    for (const [id, d] of batch) {
      const key = this.key(id);
      for (const field of FIELDS) {
        if (d[field] === 0) continue;
        pipeline.hincrby(key, field, d[field]);
        sent.push({ id, field, value: d[field] });
      }
      if (d.lastUsedAt !== undefined) {
        pipeline.hset(key, 'lastUsedAt', d.lastUsedAt);
        sent.push({ id, field: 'lastUsedAt', value: d.lastUsedAt });
      }
      if (d.lastError) {
        pipeline.hset(key, 'lastError', JSON.stringify(d.lastError));
        sent.push({ id, field: 'lastError', value: d.lastError });
      }
      pipeline.pexpire(key, this.ttlMs);
      sent.push(undefined);
    }
    let replies: [Error | null, unknown][] | null = null;
    try {
      replies = await pipeline.exec();
    } catch {
      // Lost with the connection; the counts shown stay this replica's until the next resync.
    }
    if (!replies) return;
    replies.forEach((reply, i) => {
      const op = sent[i];
      if (op && reply[0]) this.requeue(op);
    });
  }

  /** Puts one refused write back among the pending counts, out of the shared base. */
  private requeue(op: SentCount): void {
    const d = this.delta(op.id);
    const base = this.base.get(op.id);
    if (op.field === 'lastUsedAt') d.lastUsedAt = latest(d.lastUsedAt, op.value as number);
    else if (op.field === 'lastError') d.lastError ??= op.value as LastError;
    else {
      d[op.field] += op.value as number;
      if (base)
        this.base.set(op.id, { ...base, [op.field]: base[op.field] - (op.value as number) });
    }
  }

  private delta(credentialId: string): Delta {
    let d = this.pending.get(credentialId);
    if (!d) this.pending.set(credentialId, (d = { ...ZERO }));
    return d;
  }
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}
