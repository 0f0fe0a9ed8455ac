/**
 * Gemini 3 rejects a replayed functionCall without the thoughtSignature it came with ("Function call
 * is missing a thought_signature"), and OpenAI clients have nowhere to keep it, so the proxy keeps
 * it by the tool-call id it handed out.
 */
export interface ThoughtSignatureStore {
  get(callId: string): string | undefined;
  set(callId: string, signature: string): void;
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
