import type { GeminiUsageMetadata } from './gemini-types';
import type { RelayedAnswer } from './upstream-backend';
import { UpstreamNetworkError } from './upstream-errors';

const KEY = Buffer.from('"usageMetadata"');
const MODEL_VERSION_KEY = Buffer.from('"modelVersion"');
/** Longer than any model id; a longer value is not read (it is logged and shown on /admin). */
const MAX_MODEL_VERSION_BYTES = 256;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The `usageMetadata` of a generateContent answer held as bytes, for the metrics, without parsing
 * the whole answer: Google puts it after the candidates, so it is found from the end and only its
 * own few bytes are parsed. Anything unexpected (the key inside a string, no object after it)
 * falls back to parsing the whole answer; an answer without usage gives undefined.
 */
export function usageOf(answer: Buffer): GeminiUsageMetadata | undefined {
  const at = answer.lastIndexOf(KEY);
  if (at < 0) return undefined;
  const slice =
    at > 0 && answer[at - 1] !== BACKSLASH ? objectAfter(answer, at + KEY.length) : undefined;
  try {
    if (slice) return JSON.parse(slice.toString('utf8')) as GeminiUsageMetadata;
    return (JSON.parse(answer.toString('utf8')) as { usageMetadata?: GeminiUsageMetadata })
      .usageMetadata;
  } catch {
    return undefined;
  }
}

/**
 * The `modelVersion` of a generateContent answer held as bytes: the model Google says it ran,
 * which is not always the one asked for (it re-routes retired IDs). Found from the end like the
 * usage, since Google writes it last; anything unexpected falls back to parsing the whole answer.
 */
export function modelVersionOf(answer: Buffer): string | undefined {
  const at = answer.lastIndexOf(MODEL_VERSION_KEY);
  if (at < 0) return undefined;
  const slice =
    at > 0 && answer[at - 1] !== BACKSLASH
      ? stringAfter(answer, at + MODEL_VERSION_KEY.length)
      : undefined;
  try {
    const value: unknown = slice
      ? JSON.parse(slice.toString('utf8'))
      : (JSON.parse(answer.toString('utf8')) as { modelVersion?: unknown }).modelVersion;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of the short JSON string that starts after `key":` at `from`, or undefined. */
function stringAfter(bytes: Buffer, from: number): Buffer | undefined {
  let i = from;
  while (i < bytes.length && bytes[i] !== QUOTE) {
    const c = bytes[i];
    if (c !== 0x3a && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return undefined;
    i += 1;
  }
  const start = i;
  const end = Math.min(bytes.length, start + MAX_MODEL_VERSION_BYTES);
  for (i = start + 1; i < end; i += 1) {
    if (bytes[i] === BACKSLASH) return undefined;
    if (bytes[i] === QUOTE) return bytes.subarray(start, i + 1);
  }
  return undefined;
}

/** The bytes of the JSON object that starts after `key":` at `from`, or undefined. */
function objectAfter(bytes: Buffer, from: number): Buffer | undefined {
  let i = from;
  while (i < bytes.length && bytes[i] !== OPEN) {
    const c = bytes[i];
    // Only whitespace and the colon may stand between the key and its object.
    if (c !== 0x3a && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return undefined;
    i += 1;
  }
  const start = i;
  let depth = 0;
  for (; i < bytes.length; i += 1) {
    const c = bytes[i];
    if (c === QUOTE) {
      i += 1;
      while (i < bytes.length && bytes[i] !== QUOTE) i += bytes[i] === BACKSLASH ? 2 : 1;
    } else if (c === OPEN) {
      depth += 1;
    } else if (c === CLOSE) {
      depth -= 1;
      if (depth === 0) return bytes.subarray(start, i + 1);
    }
  }
  return undefined;
}

/** Whether the first byte past any whitespace opens a JSON object (a proxy's HTML page does not). */
export function startsAnObject(bytes: Buffer): boolean {
  for (const c of bytes) {
    if (c === OPEN) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

/**
 * Google's generateContent bytes as relayed to a native client, with their usage and served model
 * for the metrics and the request log.
 */
export function relayedAnswer(bytes: Buffer): RelayedAnswer {
  if (!startsAnObject(bytes)) {
    throw new UpstreamNetworkError('protocol', 'Google sent a response that is not JSON');
  }
  return { bytes, usage: usageOf(bytes), modelVersion: modelVersionOf(bytes) };
}
