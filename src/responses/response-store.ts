import type { FetchedMedia } from '../translation/common/content-parts';
import type {
  InputItem,
  OutputItem,
  ResponseObject,
} from '../translation/responses/responses-types';

/**
 * One stored turn: its own items only, never the conversation before it. The turn before is
 * `response.previous_response_id`; the conversation is rebuilt by walking those links, so a
 * chain costs what its turns cost, not the square of its length.
 */
export interface StoredResponse {
  response: ResponseObject;
  /** This request's own input items, references resolved, with ids (what `input_items` lists). */
  input: InputItem[];
  /**
   * What this turn fetched for its media URLs (mime type and base64), by URL: later turns send
   * the same bytes to Google and never fetch an earlier turn's URLs again.
   */
  media?: Record<string, FetchedMedia>;
}

/** A stored turn as read back, with the size of its record (what it costs the store). */
export interface SizedResponse {
  stored: StoredResponse;
  bytes: number;
}

/** What the store holds, for `/admin`. */
export interface ResponseStoreStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  /** Turns this replica keeps only locally because the shared write failed (Redis stores). */
  unshared?: number;
}

/**
 * Where `/v1/responses` results live for `previous_response_id`, `GET`, `DELETE`, `input_items`
 * and `item_reference`. Async so that a shared store (Redis, for several replicas) can replace
 * the in-memory one at the module seam.
 */
export interface ResponseStore {
  get(id: string): Promise<SizedResponse | undefined>;
  /** Stores a turn and keeps the turns it continues (`chain`) alive as long as it. */
  put(stored: StoredResponse, chain?: readonly string[]): Promise<void>;
  delete(id: string): Promise<boolean>;
  /**
   * Items of any stored response, by item id, for the ids asked. An id means the item first
   * stored under it: a later response reusing the id does not take it over.
   */
  findItems(ids: readonly string[]): Promise<Map<string, InputItem | OutputItem>>;
  stats(): ResponseStoreStats;
}

export const RESPONSE_STORE = Symbol('RESPONSE_STORE');

/** Input then output: every item a turn holds, in the order the model saw them. */
export function itemsOf(stored: StoredResponse): (InputItem | OutputItem)[] {
  return [...stored.input, ...stored.response.output];
}

interface Entry {
  /** The turn as JSON: its length is what the byte bound counts, and readers get their own copy. */
  json: string;
  expiresAt: number;
  itemIds: string[];
  /** Never reached the shared store (Redis refused it); only this replica can answer for it. */
  unshared: boolean;
}

export interface InMemoryResponseStoreOptions {
  ttlMs: number;
  /** RESPONSES_STORE_MAX_BYTES: past it the least recently stored or continued turns go first. */
  maxBytes: number;
  now: () => number;
  /** How often expired turns are dropped when nobody reads them; 0 turns the timer off. */
  sweepMs?: number;
}

/**
 * One process's store, bounded by the bytes of its records (a count bound lets forty 16 MB
 * inputs exhaust the heap). Entries expire `ttlMs` after they were stored or last continued, and
 * a timer drops expired ones nobody reads.
 */
export class InMemoryResponseStore implements ResponseStore {
  /** In least-recently-stored-or-continued order (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  /** Item id → the response that first stored it. */
  private readonly items = new Map<string, string>();
  private bytes = 0;
  private readonly timer?: NodeJS.Timeout;

  constructor(private readonly options: InMemoryResponseStoreOptions) {
    if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) {
      throw new RangeError(`maxBytes must be a positive integer, got ${options.maxBytes}`);
    }
    const sweepMs = options.sweepMs ?? Math.min(options.ttlMs, 60_000);
    if (sweepMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): ResponseStoreStats {
    let unshared = 0;
    for (const entry of this.entries.values()) if (entry.unshared) unshared++;
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.options.maxBytes,
      unshared,
    };
  }

  get(id: string): Promise<SizedResponse | undefined> {
    const entry = this.live(id);
    return Promise.resolve(entry && sized(entry.json));
  }

  /** A turn this replica stored while the shared store refused it, or undefined. */
  getUnshared(id: string): Promise<SizedResponse | undefined> {
    const entry = this.live(id);
    return Promise.resolve(entry?.unshared ? sized(entry.json) : undefined);
  }

  put(stored: StoredResponse, chain: readonly string[] = [], unshared = false): Promise<void> {
    this.putJson(stored, JSON.stringify(stored), chain, unshared);
    return Promise.resolve();
  }

  /** As `put`, with the record already serialised (the Redis store writes the same text). */
  putJson(stored: StoredResponse, json: string, chain: readonly string[], unshared: boolean): void {
    const id = stored.response.id;
    this.remove(id);
    const expiresAt = this.options.now() + this.options.ttlMs;
    // Continued turns move to the young end: a live conversation is not evicted from its middle.
    for (const earlier of chain) {
      const entry = this.live(earlier);
      if (!entry) continue;
      this.entries.delete(earlier);
      this.entries.set(earlier, { ...entry, expiresAt });
    }
    const itemIds: string[] = [];
    for (const item of itemsOf(stored)) {
      if (typeof item.id !== 'string') continue;
      itemIds.push(item.id);
      const owner = this.items.get(item.id);
      if (owner === undefined || owner === id || !this.live(owner)) this.items.set(item.id, id);
    }
    this.entries.set(id, { json, expiresAt, itemIds, unshared });
    this.bytes += json.length;
    while (this.bytes > this.options.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  /** Marks a turn as having reached the shared store after all. */
  markShared(id: string): void {
    const entry = this.entries.get(id);
    if (entry) entry.unshared = false;
  }

  /** The turns the shared store refused, to offer them again once it is back. */
  *unsharedEntries(): Generator<{ id: string; json: string; itemIds: string[] }> {
    for (const [id, entry] of this.entries) {
      if (entry.unshared) yield { id, json: entry.json, itemIds: entry.itemIds };
    }
  }

  delete(id: string): Promise<boolean> {
    const found = this.live(id) !== undefined;
    this.remove(id);
    return Promise.resolve(found);
  }

  findItems(ids: readonly string[]): Promise<Map<string, InputItem | OutputItem>> {
    const byOwner = new Map<string, string[]>();
    for (const id of ids) {
      const owner = this.items.get(id);
      if (owner === undefined) continue;
      const wanted = byOwner.get(owner);
      if (wanted) wanted.push(id);
      else byOwner.set(owner, [id]);
    }
    const found = new Map<string, InputItem | OutputItem>();
    for (const [owner, wanted] of byOwner) {
      const entry = this.live(owner);
      if (!entry) continue;
      const index = indexItems(JSON.parse(entry.json) as StoredResponse);
      for (const id of wanted) {
        const item = index.get(id);
        if (item) found.set(id, item);
      }
    }
    return Promise.resolve(found);
  }

  /** Drops every expired turn; the timer calls it so that unread turns do not stay. */
  sweep(): void {
    const now = this.options.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.remove(id);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= this.options.now()) {
      this.remove(id);
      return undefined;
    }
    return entry;
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.json.length;
    for (const itemId of entry.itemIds) {
      if (this.items.get(itemId) === id) this.items.delete(itemId);
    }
  }
}

function sized(json: string): SizedResponse {
  return { stored: JSON.parse(json) as StoredResponse, bytes: json.length };
}

/** Item id → item, the first one when a turn repeats an id. */
export function indexItems(stored: StoredResponse): Map<string, InputItem | OutputItem> {
  const index = new Map<string, InputItem | OutputItem>();
  for (const item of itemsOf(stored)) {
    if (typeof item.id === 'string' && !index.has(item.id)) index.set(item.id, item);
  }
  return index;
}
