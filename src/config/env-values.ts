import { isRecord } from '../json/is-record';
import { parseLimitTable, type LimitTable } from '../config/quota-limits';

/**
 * How the raw strings of the environment become values. Each parser throws an Error whose message
 * says what is wrong in words that follow the variable's name ("GEMINI_API_KEYS: …"); the
 * declarations turn it into the start-up line, and the slices call the same parser on a value
 * already checked.
 */

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off', ''];

/** A boolean from the usual words; anything else is left as it is, for the check to refuse. */
export function toBool(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return value;
}

/** An integer from digits only (no `1e3`, no `0x10`); anything else is left for the check to refuse. */
export function toInt(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

/** An absolute URL with one of `schemes` and a host. */
export function isUrlWith(value: unknown, schemes: readonly string[]): boolean {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const parsed = new URL(value);
    return schemes.includes(parsed.protocol.slice(0, -1)) && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** The schemes a credential's own outbound proxy may use (DESIGN §14). */
export const PROXY_SCHEMES: readonly string[] = ['http', 'https', 'socks5', 'socks'];
export const PROXY_EXAMPLE = 'http://[user:password@]host:port, https://… or socks5://…';

export const SIZE = /^\d+(b|kb|mb|gb)?$/i;

/** Parses "50mb" style sizes into bytes. */
export function parseByteSize(value: string): number {
  const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!m) throw new Error(`must look like 64mb, 512kb or 1048576 (got ${JSON.stringify(value)})`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[unit] ?? 1;
  return Number(m[1]) * factor;
}

export function parseCredentialsJsonList(raw: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.trim() === '' ? '[]' : raw);
  } catch {
    throw new Error('must be a JSON array of credential objects (it is not valid JSON)');
  }
  if (!Array.isArray(parsed)) throw new Error('must be a JSON array of credential objects');
  return parsed;
}

/** Keys given comma-separated or as a JSON array of strings; blanks and repeats dropped. */
export function parseApiKeys(raw: string): string[] {
  return parseApiKeyEntries(raw).map((entry) => entry.key);
}

/**
 * One key of GEMINI_API_KEYS with what the operator declared beside it (DESIGN §4, §12): its own
 * outbound proxy, its limits (QUOTA_LIMITS' shape) and its Google project, whose quota it shares.
 */
export interface ApiKeyEntry {
  key: string;
  proxy?: string;
  limits?: LimitTable;
  project?: string;
}

/**
 * Keys comma-separated, or a JSON array of strings or of objects
 * `{"key", "proxy"?, "limits"?, "project"?}`; blanks and repeats dropped, the first entry of a key
 * kept. Errors name the item, never a key.
 */
export function parseApiKeyEntries(raw: string): ApiKeyEntry[] {
  const text = raw.trim();
  if (text === '') return [];
  if (!text.startsWith('[')) return unique(text.split(',')).map((key) => ({ key }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('looks like a JSON array but is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('a JSON value must be an array');
  const entries = new Map<string, ApiKeyEntry>();
  parsed.forEach((item: unknown, i) => {
    const entry = apiKeyEntry(item, i);
    if (entry.key && !entries.has(entry.key)) entries.set(entry.key, entry);
  });
  return [...entries.values()];
}

function apiKeyEntry(item: unknown, i: number): ApiKeyEntry {
  if (typeof item === 'string') return { key: item.trim() };
  if (!isRecord(item) || typeof item.key !== 'string') {
    throw new Error(`item ${i} must be a key string or an object with a "key" string`);
  }
  const entry: ApiKeyEntry = { key: item.key.trim() };
  if (item.proxy !== undefined) {
    if (typeof item.proxy !== 'string') throw new Error(`item ${i}: "proxy" must be a URL string`);
    const proxy = item.proxy.trim();
    if (proxy && !isUrlWith(proxy, PROXY_SCHEMES)) {
      throw new Error(`item ${i}: "proxy" must look like ${PROXY_EXAMPLE}`);
    }
    if (proxy) entry.proxy = proxy;
  }
  if (item.limits !== undefined) entry.limits = parseLimitTable(item.limits, `item ${i}: limits`);
  if (item.project !== undefined) {
    if (typeof item.project !== 'string') throw new Error(`item ${i}: "project" must be a string`);
    if (item.project.trim()) entry.project = item.project.trim();
  }
  return entry;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys.map((k) => k.trim()).filter(Boolean))];
}
