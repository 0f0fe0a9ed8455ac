/** Where a conversation was served last, kept for SESSION_AFFINITY_TTL_S after its last turn. */
export interface AffinityStore {
  get(conversation: string): Promise<string | undefined>;
  set(conversation: string, credentialId: string): Promise<void>;
}

/** Conversations remembered by one process; past this the least recently served go first. */
export const MAX_CONVERSATIONS = 20_000;

export class InMemoryAffinityStore implements AffinityStore {
  private readonly entries = new Map<string, { credentialId: string; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(conversation: string): Promise<string | undefined> {
    const entry = this.entries.get(conversation);
    if (!entry || entry.until <= this.now()) return Promise.resolve(undefined);
    return Promise.resolve(entry.credentialId);
  }

  set(conversation: string, credentialId: string): Promise<void> {
    this.entries.delete(conversation);
    this.entries.set(conversation, { credentialId, until: this.now() + this.ttlMs });
    if (this.entries.size > MAX_CONVERSATIONS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return Promise.resolve();
  }
}

/** The binding of the conversation → credential store (state/shared-state.module.ts). */
export const AFFINITY_STORE = Symbol('AFFINITY_STORE');
