import { current, QuotaCounts, Room, roomFor, WindowCount } from './headroom';
import { QuotaLimits } from '../config/quota-limits';
import { Window } from './quota-windows';

/** Whose quota: a Google project (`p:…`) where known, else one credential (`c:…`); and a model. */
export interface QuotaKey {
  subject: string;
  model: string;
}

export interface QuotaWindows {
  minute: Window;
  day: Window;
}

/** One (subject, model) as the status views show it. */
export interface QuotaEntry extends QuotaKey {
  learned: QuotaLimits;
  counts: QuotaCounts;
}

/**
 * Counts and learned limits, shared by every replica when Redis holds them. `reserve` is the one
 * operation that must be atomic: check every window and count the request in one step, so that
 * two replicas never both take a window's last request.
 */
export interface QuotaStore {
  /** Counts one request of `tokens` when every window has room under `declared` or the learned limits. */
  reserve(
    key: QuotaKey,
    windows: QuotaWindows,
    declared: QuotaLimits,
    tokens: number,
    now: number,
  ): Promise<Room>;
  /** Uncounts one request Google refused (a 429 is not counted against the quota it names). */
  release(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void>;
  /** Corrects the minute's and day's tokens once Google reported the real count (may be negative). */
  addTokens(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void>;
  /** Google named a limit's size in a 429. */
  learn(key: QuotaKey, limits: QuotaLimits): Promise<void>;
  learned(key: QuotaKey): Promise<QuotaLimits>;
  /** Every (subject, model) with something counted or learned, most recently used first. */
  list(windows: QuotaWindows, limit: number): Promise<QuotaEntry[]>;
}

/** Entries kept in one process: model names come from clients, so the map must not grow without end. */
export const MAX_QUOTA_ENTRIES = 4096;

/** The binding of the quota counters (state/shared-state.module.ts). */
export const QUOTA_STORE = Symbol('QUOTA_STORE');

interface Slot {
  learned: QuotaLimits;
  minute?: WindowCount;
  day?: WindowCount;
}

export class InMemoryQuotaStore implements QuotaStore {
  /** In insertion order of last use, so the first entry is the one to evict. */
  private readonly slots = new Map<string, Slot>();

  reserve(
    key: QuotaKey,
    windows: QuotaWindows,
    declared: QuotaLimits,
    tokens: number,
  ): Promise<Room> {
    const slot = this.slot(key);
    const counts = this.counts(slot, windows);
    const room = roomFor(
      counts,
      { ...slot.learned, ...declared },
      tokens,
      windows.minute,
      windows.day,
    );
    if (room.ok) {
      slot.minute = add(counts.minute, 1, tokens);
      slot.day = add(counts.day, 1, tokens);
    }
    return Promise.resolve(room);
  }

  release(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void> {
    const slot = this.slot(key);
    const counts = this.counts(slot, windows);
    slot.minute = add(counts.minute, -1, -tokens);
    slot.day = add(counts.day, -1, -tokens);
    return Promise.resolve();
  }

  addTokens(key: QuotaKey, windows: QuotaWindows, tokens: number): Promise<void> {
    const slot = this.slot(key);
    const counts = this.counts(slot, windows);
    slot.minute = add(counts.minute, 0, tokens);
    slot.day = add(counts.day, 0, tokens);
    return Promise.resolve();
  }

  learn(key: QuotaKey, limits: QuotaLimits): Promise<void> {
    const slot = this.slot(key);
    slot.learned = { ...slot.learned, ...limits };
    return Promise.resolve();
  }

  learned(key: QuotaKey): Promise<QuotaLimits> {
    return Promise.resolve({ ...this.slots.get(slotKey(key))?.learned });
  }

  list(windows: QuotaWindows, limit: number): Promise<QuotaEntry[]> {
    const entries: QuotaEntry[] = [];
    for (const [id, slot] of [...this.slots].reverse()) {
      if (entries.length >= limit) break;
      const [subject, model] = id.split('\u0000');
      entries.push({
        subject,
        model,
        learned: { ...slot.learned },
        counts: this.counts(slot, windows),
      });
    }
    return Promise.resolve(entries);
  }

  private counts(slot: Slot, windows: QuotaWindows): QuotaCounts {
    return { minute: current(slot.minute, windows.minute), day: current(slot.day, windows.day) };
  }

  private slot(key: QuotaKey): Slot {
    const id = slotKey(key);
    const slot = this.slots.get(id) ?? { learned: {} };
    this.slots.delete(id);
    this.slots.set(id, slot);
    if (this.slots.size > MAX_QUOTA_ENTRIES) {
      const oldest = this.slots.keys().next().value;
      if (oldest !== undefined) this.slots.delete(oldest);
    }
    return slot;
  }
}

function slotKey(key: QuotaKey): string {
  return `${key.subject}\u0000${key.model}`;
}

function add(count: WindowCount, requests: number, tokens: number): WindowCount {
  return {
    start: count.start,
    requests: Math.max(0, count.requests + requests),
    tokens: Math.max(0, count.tokens + tokens),
  };
}
