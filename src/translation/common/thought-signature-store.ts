/**
 * Gemini 3 rejects a replayed functionCall without the thoughtSignature it came with ("Function call
 * is missing a thought_signature"), and OpenAI clients have nowhere to keep it, so the proxy keeps
 * it by the tool-call id it handed out.
 */
export interface ThoughtSignatureStore {
  get(callId: string): string | undefined;
  set(callId: string, signature: string): void;
  /**
   * Before a request is mapped: makes the signatures of the tool calls it replays readable with
   * `get`, fetching any that a shared store keeps elsewhere, within a short timeout after which
   * the mapping goes on with what it has. Resolves at once in memory.
   */
  loadFor(request: unknown): Promise<void>;
}

export const THOUGHT_SIGNATURE_STORE = Symbol('THOUGHT_SIGNATURE_STORE');

/** A bounded LRU: a Map keeps insertion order, so the first key is the least recently used. */
export class InMemoryThoughtSignatureStore implements ThoughtSignatureStore {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  loadFor(): Promise<void> {
    return Promise.resolve();
  }

  get(callId: string): string | undefined {
    const signature = this.entries.get(callId);
    if (signature !== undefined) {
      this.entries.delete(callId);
      this.entries.set(callId, signature);
    }
    return signature;
  }

  set(callId: string, signature: string): void {
    this.entries.delete(callId);
    this.entries.set(callId, signature);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

const CALL_ID_KEYS = new Set(['id', 'call_id', 'tool_call_id', 'tool_use_id']);
const MAX_CALL_IDS = 256;

/**
 * The tool-call ids a request of any dialect names (OpenAI `tool_calls[].id`, Anthropic
 * `tool_use.id`, Responses `call_id`), found by key so that no dialect is special-cased; bounded
 * in depth and count, and it skips long strings (media) without reading them.
 */
export function toolCallIdsIn(request: unknown): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 8 || out.size >= MAX_CALL_IDS || value === null || typeof value !== 'object')
      return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        if (CALL_ID_KEYS.has(key) && v.length > 0 && v.length <= 256) out.add(v);
      } else walk(v, depth + 1);
    }
  };
  walk(request, 0);
  return [...out].slice(0, MAX_CALL_IDS);
}
