import { randomBytes } from 'node:crypto';
import { addressGroup } from '../http/address-group';
import { createPkcePair } from './pkce';
import { LoginError, type LoginStateProblem } from './login-errors';

/** A login between `POST /login` and Google's callback. */
export interface LoginAttempt {
  state: string;
  /** The random id in the browser's login cookie; the callback must come from the same browser. */
  browserId: string;
  /** The address (IPv4, or IPv6 /64) the login was started from; see `addressGroup`. */
  client: string;
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
  /**
   * Attempts kept in all, so that a flood of POST /login cannot grow memory. Beyond it the client
   * address holding the most attempts loses its oldest, never a client with fewer.
   */
  maxPending?: number;
  /**
   * Attempts one browser may have under way; its own go first. Without it, one browser
   * posting /login in a loop pushes every other browser's login out of `maxPending`.
   */
  maxPerBrowser?: number;
  /**
   * Attempts one client address may have under way. A client that sends no cookie is a new
   * browser at every POST, so only its address stops it pushing out other people's logins.
   */
  maxPerClient?: number;
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
  private readonly maxPerClient: number;
  private readonly now: () => number;

  constructor(options: LoginStateOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxPending = options.maxPending ?? 1000;
    this.maxPerBrowser = options.maxPerBrowser ?? 5;
    this.maxPerClient = options.maxPerClient ?? 20;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** A fresh browser id, or the one the browser already holds when it is well formed. */
  browserId(fromCookie: string | undefined): string {
    return fromCookie && BROWSER_ID.test(fromCookie) ? fromCookie : randomToken();
  }

  /** `clientAddress` is the request's address, as far as a trusted proxy may tell it. */
  start(input: {
    browserId: string;
    clientAddress: string | undefined;
    redirectUri: string;
    projectId?: string;
  }): LoginAttempt {
    this.sweep();
    const attempt: LoginAttempt = {
      state: randomToken(),
      browserId: input.browserId,
      client: addressGroup(input.clientAddress),
      ...createPkcePair(),
      redirectUri: input.redirectUri,
      createdAt: this.now(),
      ...(input.projectId ? { projectId: input.projectId } : {}),
    };
    this.pending.set(attempt.state, attempt);
    this.capAt(this.maxPerBrowser, (a) => a.browserId === attempt.browserId);
    this.capAt(this.maxPerClient, (a) => a.client === attempt.client);
    this.capAt(this.maxPending, () => true);
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

  /**
   * Drops attempts in scope until at most `max` are left, each time the oldest attempt of the
   * browser holding the most, within the client address holding the most. So whoever floods
   * pays for it, and a login started by anyone with fewer attempts stays.
   */
  private capAt(max: number, inScope: (attempt: LoginAttempt) => boolean): void {
    let scope = [...this.pending.values()].filter(inScope);
    while (scope.length > max) {
      const victim = largestHolder(
        largestHolder(scope, (a) => a.client),
        (a) => a.browserId,
      )[0];
      this.pending.delete(victim.state);
      scope = scope.filter((a) => a !== victim);
    }
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [state, attempt] of this.pending) {
      if (attempt.createdAt < cutoff) this.pending.delete(state);
    }
  }
}

/**
 * The attempts of whichever key holds the most, oldest first (the map keeps start order); on a
 * tie, those of the key whose first attempt is the oldest.
 */
function largestHolder(
  attempts: LoginAttempt[],
  keyOf: (attempt: LoginAttempt) => string,
): LoginAttempt[] {
  const groups = new Map<string, LoginAttempt[]>();
  for (const attempt of attempts) {
    const key = keyOf(attempt);
    const group = groups.get(key);
    if (group) group.push(attempt);
    else groups.set(key, [attempt]);
  }
  let largest: LoginAttempt[] = [];
  for (const group of groups.values()) if (group.length > largest.length) largest = group;
  return largest;
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function badState(problem: LoginStateProblem): LoginError {
  return new LoginError({ kind: 'bad-state', problem });
}
