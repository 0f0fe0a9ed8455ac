import { LoginError, LoginStateProblem } from './login-errors';
import { LoginStateStore } from './login-state-store';
import { pkceChallenge } from './pkce';

const REDIRECT = 'http://localhost:7860/oauth2callback';
const HOME = '198.51.100.2';

function storeAt(start = 1_000_000) {
  const clock = { now: start };
  const store = new LoginStateStore({ ttlMs: 600_000, now: () => clock.now });
  return { store, clock };
}

function problemOf(run: () => unknown): LoginStateProblem | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LoginError && error.failure.kind === 'bad-state')
      return error.failure.problem;
    throw error;
  }
  return undefined;
}

describe('LoginStateStore', () => {
  it('hands the attempt back once to the browser that started it', () => {
    const { store } = storeAt();
    const browser = store.browserId(undefined);
    const attempt = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
      projectId: 'my-proj',
    });
    expect(store.take(attempt.state, browser)).toMatchObject({
      projectId: 'my-proj',
      redirectUri: REDIRECT,
      client: HOME,
      codeVerifier: attempt.codeVerifier,
    });
  });

  it('refuses a state the second time, so a callback address cannot be replayed', () => {
    const { store } = storeAt();
    const browser = store.browserId(undefined);
    const { state } = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    store.take(state, browser);
    expect(problemOf(() => store.take(state, browser))).toBe('unknown-state');
  });

  it('refuses a state from another browser and spends it', () => {
    const { store } = storeAt();
    const mine = store.browserId(undefined);
    const theirs = store.browserId(undefined);
    const { state } = store.start({ browserId: mine, redirectUri: REDIRECT, clientAddress: HOME });
    expect(problemOf(() => store.take(state, theirs))).toBe('other-browser');
    expect(problemOf(() => store.take(state, mine))).toBe('unknown-state');
  });

  it('refuses a callback that carries no login cookie', () => {
    const { store } = storeAt();
    const { state } = store.start({
      browserId: store.browserId(undefined),
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    expect(problemOf(() => store.take(state, undefined))).toBe('missing-cookie');
  });

  it('refuses a callback without state', () => {
    const { store } = storeAt();
    expect(problemOf(() => store.take(undefined, 'x'))).toBe('missing-state');
  });

  it('refuses a state it never issued', () => {
    const { store } = storeAt();
    expect(problemOf(() => store.take('made-up', store.browserId(undefined)))).toBe(
      'unknown-state',
    );
  });

  it('expires an attempt after its time to live', () => {
    const { store, clock } = storeAt();
    const browser = store.browserId(undefined);
    const { state } = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    clock.now += 600_001;
    expect(problemOf(() => store.take(state, browser))).toBe('expired');
  });

  it('still accepts an attempt just inside its time to live', () => {
    const { store, clock } = storeAt();
    const browser = store.browserId(undefined);
    const { state } = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    clock.now += 600_000;
    expect(store.take(state, browser).state).toBe(state);
  });

  it('forgets expired attempts when new logins start', () => {
    const { store, clock } = storeAt();
    store.start({
      browserId: store.browserId(undefined),
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    clock.now += 700_000;
    store.start({
      browserId: store.browserId(undefined),
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    expect(store.size).toBe(1);
  });

  it('keeps at most maxPending attempts, dropping the oldest', () => {
    const store = new LoginStateStore({ maxPending: 2 });
    const browsers = [1, 2, 3].map(() => store.browserId(undefined));
    const [first] = browsers.map((b) =>
      store.start({ browserId: b, redirectUri: REDIRECT, clientAddress: HOME }),
    );
    expect(store.size).toBe(2);
    expect(problemOf(() => store.take(first.state, browsers[0]))).toBe('unknown-state');
  });

  it('keeps at most maxPerBrowser attempts of one browser, dropping its own oldest', () => {
    const store = new LoginStateStore({ maxPerBrowser: 3 });
    const browser = store.browserId(undefined);
    const attempts = [1, 2, 3, 4, 5].map(() =>
      store.start({ browserId: browser, redirectUri: REDIRECT, clientAddress: HOME }),
    );
    expect(store.size).toBe(3);
    for (const old of attempts.slice(0, 2))
      expect(problemOf(() => store.take(old.state, browser))).toBe('unknown-state');
    for (const kept of attempts.slice(2)) expect(store.take(kept.state, browser)).toBe(kept);
  });

  it('does not let one browser posting /login in a loop push out another browser’s login', () => {
    const store = new LoginStateStore({ maxPending: 10, maxPerBrowser: 5 });
    const real = store.browserId(undefined);
    const flooder = store.browserId(undefined);
    const login = store.start({
      browserId: real,
      redirectUri: REDIRECT,
      clientAddress: HOME,
      projectId: 'mine',
    });
    for (let i = 0; i < 50; i++)
      store.start({ browserId: flooder, redirectUri: REDIRECT, clientAddress: HOME });
    expect(store.size).toBe(6);
    expect(store.take(login.state, real).projectId).toBe('mine');
  });

  it('does not let one address sending no cookie push out another address’s login', () => {
    const store = new LoginStateStore({ maxPending: 10 });
    const real = store.browserId(undefined);
    const login = store.start({ browserId: real, redirectUri: REDIRECT, clientAddress: HOME });
    for (let i = 0; i < 50; i++) {
      // No cookie: a new browser every time.
      const browserId = store.browserId(undefined);
      store.start({ browserId, redirectUri: REDIRECT, clientAddress: '203.0.113.7' });
    }
    expect(store.size).toBe(10);
    expect(store.take(login.state, real).state).toBe(login.state);
  });

  it('keeps at most maxPerClient attempts of one address, dropping its own oldest', () => {
    const store = new LoginStateStore({ maxPerClient: 3 });
    const starts = [1, 2, 3, 4].map(() =>
      store.start({
        browserId: store.browserId(undefined),
        redirectUri: REDIRECT,
        clientAddress: HOME,
      }),
    );
    expect(store.size).toBe(3);
    expect(problemOf(() => store.take(starts[0].state, starts[0].browserId))).toBe('unknown-state');
    expect(store.take(starts[3].state, starts[3].browserId).state).toBe(starts[3].state);
  });

  it('counts every address of one IPv6 /64 as one client', () => {
    const store = new LoginStateStore({ maxPerClient: 2, maxPending: 100 });
    const other = store.browserId(undefined);
    const kept = store.start({ browserId: other, redirectUri: REDIRECT, clientAddress: HOME });
    for (let i = 1; i <= 30; i++) {
      const browserId = store.browserId(undefined);
      store.start({ browserId, redirectUri: REDIRECT, clientAddress: `2001:db8:1:2::${i}` });
    }
    expect(store.size).toBe(3);
    expect(store.take(kept.state, other).state).toBe(kept.state);
  });

  it('when full, takes the oldest login of the address holding the most, not the oldest of all', () => {
    const store = new LoginStateStore({ maxPending: 4 });
    const starter = (clientAddress: string) =>
      store.start({ browserId: store.browserId(undefined), redirectUri: REDIRECT, clientAddress });
    const oldest = starter(HOME);
    const busy = [starter('203.0.113.7'), starter('203.0.113.7')];
    const other = starter('192.0.2.9');
    starter('192.0.2.10');
    expect(store.size).toBe(4);
    expect(problemOf(() => store.take(busy[0].state, busy[0].browserId))).toBe('unknown-state');
    for (const kept of [oldest, busy[1], other])
      expect(store.take(kept.state, kept.browserId).state).toBe(kept.state);
  });

  it('does not let a browser with a cookie push out another browser’s login at the same address', () => {
    const store = new LoginStateStore({ maxPerClient: 6 });
    const real = store.browserId(undefined);
    const flooder = store.browserId(undefined);
    const login = store.start({ browserId: real, redirectUri: REDIRECT, clientAddress: HOME });
    for (let i = 0; i < 50; i++)
      store.start({ browserId: flooder, redirectUri: REDIRECT, clientAddress: HOME });
    expect(store.take(login.state, real).state).toBe(login.state);
  });

  it('lets one browser run two logins at once', () => {
    const { store } = storeAt();
    const browser = store.browserId(undefined);
    const a = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
      projectId: 'proj-a',
    });
    const b = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
      projectId: 'proj-b',
    });
    expect(store.take(b.state, browser).projectId).toBe('proj-b');
    expect(store.take(a.state, browser).projectId).toBe('proj-a');
  });

  it('issues a random state and an S256 PKCE pair per attempt', () => {
    const { store } = storeAt();
    const browser = store.browserId(undefined);
    const a = store.start({ browserId: browser, redirectUri: REDIRECT, clientAddress: HOME });
    const b = store.start({ browserId: browser, redirectUri: REDIRECT, clientAddress: HOME });
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.codeChallenge).toBe(pkceChallenge(a.codeVerifier));
  });

  it('keeps a well-formed browser id from the cookie and replaces a malformed one', () => {
    const { store } = storeAt();
    const id = store.browserId(undefined);
    expect(store.browserId(id)).toBe(id);
    expect(store.browserId('short')).not.toBe('short');
    expect(store.browserId('x'.repeat(30) + ';evil')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('spends a discarded state', () => {
    const { store } = storeAt();
    const browser = store.browserId(undefined);
    const { state } = store.start({
      browserId: browser,
      redirectUri: REDIRECT,
      clientAddress: HOME,
    });
    store.discard(state);
    expect(problemOf(() => store.take(state, browser))).toBe('unknown-state');
  });
});
