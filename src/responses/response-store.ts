import type {
  InputItem,
  OutputItem,
  ResponseObject,
} from '../translation/responses/responses-types';

/** A stored response with the conversation it answered. */
export interface StoredResponse {
  response: ResponseObject;
  /** This request's own input items, with ids (what `input_items` lists). */
  input: InputItem[];
  /** Everything before the output: the previous responses' turns, then `input`. */
  context: InputItem[];
}

/**
 * Where `/v1/responses` results live for `previous_response_id`, `GET`, `DELETE`, `input_items`
 * and `item_reference`. Async so that a shared store (Redis, for several replicas) can replace
 * the in-memory one at the module seam.
 */
export interface ResponseStore {
  get(id: string): Promise<StoredResponse | undefined>;
  put(stored: StoredResponse): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** An input or output item of any stored response, by item id. */
  findItem(id: string): Promise<InputItem | OutputItem | undefined>;
}

export const RESPONSE_STORE = Symbol('RESPONSE_STORE');

interface Entry {
  stored: StoredResponse;
  expiresAt: number;
}

/**
 * One process's store: entries expire `ttlMs` after they were written, and past `maxEntries` the
 * oldest goes first (a Map keeps insertion order), so memory stays bounded under agents that
 * store every turn.
 */
export class InMemoryResponseStore implements ResponseStore {
  private readonly entries = new Map<string, Entry>();
  /** Item id → the id of the response holding it. */
  private readonly items = new Map<string, string>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now: () => number }) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): Promise<StoredResponse | undefined> {
    return Promise.resolve(this.live(id)?.stored);
  }

  put(stored: StoredResponse): Promise<void> {
    const id = stored.response.id;
    this.remove(id);
    this.entries.set(id, { stored, expiresAt: this.options.now() + this.options.ttlMs });
    for (const item of [...stored.input, ...stored.response.output]) {
      if (typeof item.id === 'string') this.items.set(item.id, id);
    }
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    return Promise.resolve();
  }

  delete(id: string): Promise<boolean> {
    const found = this.live(id) !== undefined;
    this.remove(id);
    return Promise.resolve(found);
  }

  findItem(id: string): Promise<InputItem | OutputItem | undefined> {
    const owner = this.items.get(id);
    const entry = owner === undefined ? undefined : this.live(owner);
    if (!entry) return Promise.resolve(undefined);
    const { input, response } = entry.stored;
    return Promise.resolve([...input, ...response.output].find((item) => item.id === id));
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
    for (const item of [...entry.stored.input, ...entry.stored.response.output]) {
      if (typeof item.id === 'string' && this.items.get(item.id) === id) this.items.delete(item.id);
    }
  }
}
