/**
 * How long Google keeps each kind of resource, so an ownership record never outlives it: files
 * 48 h (Files API docs); cached contents until their `expireTime` (1 h by default); batch jobs and
 * stored interactions are kept longer (Google names no single figure for batches; interactions
 * are stored up to 55 days on paid tiers).
 */
export const RESOURCE_TTL_MS = {
  files: 48 * 3_600_000,
  cachedContents: 3_600_000,
  batches: 30 * 86_400_000,
  interactions: 55 * 86_400_000,
  uploads: 24 * 3_600_000,
} as const;

export type ResourceKind = keyof typeof RESOURCE_TTL_MS;

/** Google's ids: lowercase letters, digits and dashes (batches: also digits only). */
const NAME = /(files|cachedContents|batches)\/([A-Za-z0-9_-]{1,128})/;

/** Keys whose string value may name a resource, in Google's camelCase and the Interactions snake_case. */
const REFERENCE_KEYS = new Set([
  'fileUri',
  'file_uri',
  'fileName',
  'file_name',
  'uri',
  'cachedContent',
  'cached_content',
]);

const MAX_DEPTH = 12;

/**
 * The resource names a request body refers to: `fileData.fileUri` (a `files/…` name or Google's
 * file URI), `cachedContent`, a batch's input `fileName`, an interaction's `previous_interaction_id`
 * and its content items' `uri`. Other strings (inline data, text) are never read.
 */
export function referencedResources(body: unknown): string[] {
  const found = new Set<string>();
  walk(body, 0, found);
  return [...found];
}

function walk(value: unknown, depth: number, found: Set<string>): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, depth + 1, found);
    return;
  }
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (typeof field === 'string') {
      if (key === 'previous_interaction_id' && field) found.add(`interactions/${field}`);
      else if (REFERENCE_KEYS.has(key)) {
        const name = resourceNameIn(field);
        if (name) found.add(name);
      }
    } else if (typeof field === 'object') walk(field, depth + 1, found);
  }
}

/**
 * What a generate, stream or count body can name: its `cachedContent` and the `fileData.fileUri`
 * of its parts (also inside countTokens' `generateContentRequest`). A direct look on the hot path,
 * not a walk of the whole body.
 */
export function generateReferences(body: unknown): string[] {
  const found = new Set<string>();
  const request = body as GenerateLike | undefined;
  collectGenerate(request, found);
  collectGenerate(request?.generateContentRequest, found);
  return [...found];
}

interface GenerateLike {
  cachedContent?: unknown;
  contents?: unknown;
  generateContentRequest?: GenerateLike;
}

function collectGenerate(request: GenerateLike | undefined, found: Set<string>): void {
  if (!request || typeof request !== 'object') return;
  if (typeof request.cachedContent === 'string') {
    const name = resourceNameIn(request.cachedContent);
    if (name) found.add(name);
  }
  if (!Array.isArray(request.contents)) return;
  for (const content of request.contents as { parts?: unknown }[]) {
    if (!content || !Array.isArray(content.parts)) continue;
    for (const part of content.parts as { fileData?: { fileUri?: unknown } }[]) {
      const uri = part?.fileData?.fileUri;
      if (typeof uri !== 'string') continue;
      const name = resourceNameIn(uri);
      if (name) found.add(name);
    }
  }
}

/** `files/abc` from `files/abc`, `https://generativelanguage.googleapis.com/v1beta/files/abc`. */
export function resourceNameIn(text: string): string | undefined {
  if (text.length > 2048) return undefined;
  const match = NAME.exec(text);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** Google's expiry for a cached content (`expireTime`), as a TTL from `now`. */
export function ttlUntil(expireTime: unknown, now: number, fallbackMs: number): number {
  const at = typeof expireTime === 'string' ? Date.parse(expireTime) : NaN;
  return Number.isFinite(at) && at > now ? at - now : fallbackMs;
}
