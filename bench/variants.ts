/**
 * Paired rows: the native route on a proxy started another way (extra environment, keys created
 * before the load, another build), loaded in alternation with the proxy it is read against, so that
 * both see the same box. A new row is one entry here.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import type { VariantLoad } from './options';
import { postgresMissing } from './postgres';
import { BENCH_PASSWORD } from './proxy-process';
import { MODEL } from './workload';

const SRC = path.resolve(__dirname, '..', 'src');

/** How one side of a pair runs: always a fresh proxy, so that both sides have the same history. */
export interface Side {
  /** Extra environment over the default proxy's (API keys, an empty credential folder). */
  env?: Record<string, string>;
  /** Another build's folder (`release-build.ts`). */
  buildDir?: string;
}

export interface VariantContext {
  /** A PostgreSQL started for the run (once, on first use); throws when none can run. */
  postgres(): Promise<{ url: string; cpuTimeMs: () => number }>;
  /** The `--release` build, or undefined when none was asked for. */
  release?: { dir: string; commit: string };
}

export interface Variant {
  label: string;
  /** What the row is read against, for the table. */
  against: string;
  issue: number;
  /** The most extra CPU per request over the baseline the issue allows, in %. */
  maxExtraCpuPct: number;
  /** Why this build or box cannot run the row (the row says so and is skipped), else undefined. */
  unavailable?(ctx: VariantContext): string | undefined;
  /** The row's proxy; undefined is a fresh default proxy. */
  variant?(ctx: VariantContext): Promise<Side> | Side;
  /** The baseline's proxy; undefined is a fresh default proxy, `same` the row's own. */
  baseline?: ((ctx: VariantContext) => Promise<Side> | Side) | 'same';
  /** A server the row's proxy works through, whose CPU is reported beside the proxy's own. */
  helper?: { name: string; cpuTimeMs(ctx: VariantContext): Promise<number> };
  /** Run against the row's proxy once it is healthy: the key its requests carry (the password by default). */
  prepare?(url: string): Promise<string>;
}

/** Limits far above what the bench sends, so that accounting runs on every request and never refuses. */
const UNREACHED_LIMITS = JSON.stringify({
  [MODEL]: { rpm: 10_000_000, tpm: 10_000_000_000, rpd: 10_000_000_000 },
});

export const VARIANTS: Record<VariantLoad, Variant> = {
  // Issue 20: this build's default (the ledger on SQLite) against an earlier build's native row.
  release: {
    label: 'native, this build (ledger on SQLite)',
    against: 'the --release build',
    issue: 20,
    maxExtraCpuPct: 5,
    unavailable: (ctx) =>
      ctx.release ? undefined : 'give --release <git ref> to pair with a release',
    baseline: (ctx) => ({ buildDir: ctx.release?.dir }),
  },
  // Issue 20: the usage ledger on PostgreSQL against the default, SQLite.
  postgres: {
    label: 'native, usage ledger on PostgreSQL (DATABASE_URL)',
    against: 'ledger on SQLite',
    issue: 20,
    maxExtraCpuPct: 5,
    unavailable: () => postgresMissing(),
    variant: async (ctx) => ({ env: { DATABASE_URL: (await ctx.postgres()).url } }),
    helper: { name: 'PostgreSQL', cpuTimeMs: async (ctx) => (await ctx.postgres()).cpuTimeMs() },
  },
  // Issue 22: quota accounting on every request against none (and no session affinity in either).
  quota: {
    label: 'native, quota accounting (QUOTA_LIMITS declared)',
    against: 'no limits',
    issue: 22,
    maxExtraCpuPct: 3,
    unavailable: () => pendingUntil('quota', 22),
    variant: () => ({ env: { QUOTA_LIMITS: UNREACHED_LIMITS, SESSION_AFFINITY_TTL_S: '0' } }),
    baseline: () => ({ env: { SESSION_AFFINITY_TTL_S: '0' } }),
  },
  // Issue 21: with 1,000 client keys defined, a request carrying one against one carrying the password.
  'client-keys': {
    label: 'native, client key of 1,000 defined',
    against: 'the password, same proxy',
    issue: 21,
    maxExtraCpuPct: 5,
    unavailable: () => pendingUntil('client-keys', 21),
    variant: () => ({}),
    baseline: 'same',
    prepare: (url) => createClientKeys(url, 1_000),
  },
};

/** The row waits for a feature whose module is not in this checkout yet. */
function pendingUntil(module: string, issue: number): string | undefined {
  return existsSync(path.join(SRC, module))
    ? undefined
    : `pending: src/${module} is not on this build yet (issue ${issue})`;
}

/**
 * Creates `count` client keys through the admin API (DESIGN.md section 13: `POST /admin/api/keys`
 * answers 201 with the secret in `key`) and returns the last one's secret.
 */
async function createClientKeys(url: string, count: number): Promise<string> {
  let last = '';
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const res = await request(`${url}/admin/api/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BENCH_PASSWORD}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-${String(i).padStart(4, '0')}` }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 201) {
        throw new Error(`POST /admin/api/keys: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      }
      if (i === count - 1) last = (JSON.parse(text) as { key: string }).key;
    }
  };
  await Promise.all(Array.from({ length: 8 }, one));
  return last;
}
