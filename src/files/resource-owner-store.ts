/**
 * Which credential created a Google resource (`files/…`, `cachedContents/…`, `batches/…`,
 * `interactions/…`) or holds an upload session (`uploads/…`). Each lives in one Google project,
 * so every later request naming it must reach that credential. Async so that a shared store
 * (Redis, for several replicas) can replace the in-memory one at the module seam.
 */
export interface ResourceOwnerStore {
  get(name: string): Promise<ResourceRecord | undefined>;
  /** Kept for `ttlMs`, Google's own expiry for the resource. */
  put(name: string, record: ResourceRecord, ttlMs: number): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface ResourceRecord {
  /** The owning credential's id (secret-free). */
  owner: string;
  /** For an upload session: Google's session URL, a capability never shown to the client. */
  uploadUrl?: string;
}

export const RESOURCE_OWNER_STORE = Symbol('RESOURCE_OWNER_STORE');

/**
 * One process's records, each gone at its expiry; past `maxEntries` the oldest goes first (a
 * Map keeps insertion order), so a client creating resources without end cannot grow the heap.
 */
export class InMemoryResourceOwnerStore implements ResourceOwnerStore {
  private readonly entries = new Map<string, { record: ResourceRecord; expiresAt: number }>();

  constructor(private readonly options: { maxEntries: number; now: () => number }) {}

  get(name: string): Promise<ResourceRecord | undefined> {
    const entry = this.entries.get(name);
    if (entry && entry.expiresAt <= this.options.now()) this.entries.delete(name);
    return Promise.resolve(
      entry && entry.expiresAt > this.options.now() ? entry.record : undefined,
    );
  }

  put(name: string, record: ResourceRecord, ttlMs: number): Promise<void> {
    this.entries.delete(name);
    this.entries.set(name, { record, expiresAt: this.options.now() + ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return Promise.resolve();
  }

  delete(name: string): Promise<void> {
    this.entries.delete(name);
    return Promise.resolve();
  }
}
