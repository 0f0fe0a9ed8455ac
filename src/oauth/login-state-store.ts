import { randomBytes } from 'node:crypto';
import { createPkcePair } from './pkce';
import { LoginError, type LoginStateProblem } from './login-errors';

/** A login between `POST /login` and Google's callback. */
export interface LoginAttempt {
  state: string;
  /** The random id in the browser's login cookie; the callback must come from the same browser. */
  browserId: string;
  codeVerifier: string;
  codeChallenge: string;
  /** The project the user typed, if any. */
  projectId?: string;
  /** The redirect URI sent to Google; the code exchange must repeat it exactly. */
  redirectUri: string;
  createdAt: number;
}

export interface LoginStateOptions {
  ttlMs?: number;
  /** Oldest attempts are dropped beyond this, so that a flood of POST /login cannot grow memory. */
  maxPending?: number;
  /**
   * Attempts one browser may have under way; its own oldest goes first. Without it, one browser
   * posting /login in a loop pushes every other browser's login out of `maxPending`.
   */
  maxPerBrowser?: number;
  now?: () => number;
}

const BROWSER_ID = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The OAuth `state` of every login under way, each bound to one browser and used at most once.
 * The seed put the typed project in `state` and kept one global flow, so concurrent logins
 * clashed and any page could complete a login (reference/upstream.md §3.2); here `state` is a
 * random nonce, the PKCE verifier stays on the server, and the callback must carry the cookie
 * of the browser that started the login.
 */
export class LoginStateStore {
  private readonly pending = new Map<string, LoginAttempt>();
  private readonly ttlMs: number;
  private readonly maxPending: number;
  private readonly maxPerBrowser: number;
  private readonly now: () => number;

  constructor(options: LoginStateOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxPending = options.maxPending ?? 1000;
    this.maxPerBrowser = options.maxPerBrowser ?? 5;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** A fresh browser id, or the one the browser already holds when it is well formed. */
  browserId(fromCookie: string | undefined): string {
    return fromCookie && BROWSER_ID.test(fromCookie) ? fromCookie : randomToken();
  }

  start(input: { browserId: string; redirectUri: string; projectId?: string }): LoginAttempt {
    this.sweep();
    const attempt: LoginAttempt = {
      state: randomToken(),
      browserId: input.browserId,
      ...createPkcePair(),
      redirectUri: input.redirectUri,
      createdAt: this.now(),
      ...(input.projectId ? { projectId: input.projectId } : {}),
    };
    this.dropOldestOf(input.browserId, this.maxPerBrowser - 1);
    this.pending.set(attempt.state, attempt);
    while (this.pending.size > this.maxPending) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
    return attempt;
  }

  /**
   * Takes the attempt `state` names, whatever happens next: a state is spent by its first use,
   * so a leaked callback address cannot be replayed.
   */
  take(state: string | undefined, browserId: string | undefined): LoginAttempt {
    if (!state) throw badState('missing-state');
    const attempt = this.pending.get(state);
    this.pending.delete(state);
    if (!attempt) throw badState('unknown-state');
    if (this.now() - attempt.createdAt > this.ttlMs) throw badState('expired');
    if (!browserId) throw badState('missing-cookie');
    if (browserId !== attempt.browserId) throw badState('other-browser');
    return attempt;
  }

  /** Spends a state without checking it, for a callback that failed before it mattered. */
  discard(state: string): void {
    this.pending.delete(state);
  }

  /** Drops this browser's oldest attempts until it has at most `keep` (the map is in start order). */
  private dropOldestOf(browserId: string, keep: number): void {
    const mine = [...this.pending.values()].filter((a) => a.browserId === browserId);
    for (const attempt of mine.slice(0, Math.max(0, mine.length - keep))) {
      this.pending.delete(attempt.state);
    }
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [state, attempt] of this.pending) {
      if (attempt.createdAt < cutoff) this.pending.delete(state);
    }
  }
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function badState(problem: LoginStateProblem): LoginError {
  return new LoginError({ kind: 'bad-state', problem });
}
