import { isRecord } from '../json/is-record';

/**
 * Google's three limits per project and model (ai.google.dev/gemini-api/docs/rate-limits):
 * requests and input tokens per minute, requests per Pacific day. Absent means not known.
 */
export interface QuotaLimits {
  rpm?: number;
  tpm?: number;
  rpd?: number;
}

export const LIMIT_NAMES = ['rpm', 'tpm', 'rpd'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Limits by model; a key ending in `*` covers every model starting with the rest of it. */
export interface LimitTable {
  exact: ReadonlyMap<string, QuotaLimits>;
  /** Longest prefix first. */
  prefixes: readonly { prefix: string; limits: QuotaLimits }[];
}

export const NO_LIMITS: LimitTable = { exact: new Map(), prefixes: [] };

/** The declared limits for a model: its own entry, else the longest prefix that matches. */
export function limitsFor(table: LimitTable, model: string): QuotaLimits | undefined {
  const own = table.exact.get(model);
  if (own) return own;
  return table.prefixes.find((p) => model.startsWith(p.prefix))?.limits;
}

/** Parses `{"<model or prefix*>": {"rpm": N, "tpm": N, "rpd": N}}` (QUOTA_LIMITS, a key's `limits`). */
export function parseLimitTable(value: unknown, where = 'limits'): LimitTable {
  if (value === undefined || value === null || value === '') return NO_LIMITS;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(
        `${where} must be a JSON object such as {"gemini-2.5-flash":{"rpm":5,"tpm":250000,"rpd":20}} (it is not valid JSON)`,
      );
    }
  }
  if (!isRecord(parsed)) {
    throw new Error(`${where} must be a JSON object of model (or prefix*) → {rpm, tpm, rpd}`);
  }
  const exact = new Map<string, QuotaLimits>();
  const prefixes: { prefix: string; limits: QuotaLimits }[] = [];
  for (const [key, entry] of Object.entries(parsed)) {
    const model = key.trim().replace(/^models\//, '');
    if (model === '') throw new Error(`${where}: "${key}" is not a model name or prefix*`);
    const limits = parseLimits(entry, `${where}["${key}"]`);
    if (model.endsWith('*')) prefixes.push({ prefix: model.slice(0, -1), limits });
    else exact.set(model, limits);
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { exact, prefixes };
}

function parseLimits(entry: unknown, where: string): QuotaLimits {
  if (!isRecord(entry)) throw new Error(`${where} must be an object such as {"rpm":5,"rpd":20}`);
  const limits: QuotaLimits = {};
  for (const [name, value] of Object.entries(entry)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(name)) {
      throw new Error(`${where}: unknown limit "${name}" (use rpm, tpm or rpd)`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`${where}.${name} must be a whole number of 0 or more`);
    }
    limits[name as LimitName] = value;
  }
  return limits;
}

/** `b`'s known figures over `a`'s. */
export function mergeLimits(a: QuotaLimits | undefined, b: QuotaLimits | undefined): QuotaLimits {
  return { ...a, ...b };
}
