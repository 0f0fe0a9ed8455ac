import { FakeGoogle } from './fake-google/fake-google';
import {
  badRequest,
  googleError,
  permissionDenied,
  rateLimited,
  serverError,
  unauthenticated,
} from './fake-google/google-errors';
import type { RecordedRequest } from './fake-google/types';
import { nextPacificMidnight } from '../src/upstream/quota-reset';
import {
  chat,
  credentialStatus,
  enableAll,
  generate,
  ManualClock,
  poolStatus,
  startPoolProxy,
} from './support/pool-harness';
import { RunningProxy } from './support/proxy';

const MODEL = 'gemini-2.5-flash';
const KEY_A = 'AIzaRotationKeyAAAAAAAAAAAAAAAAAAAAaaaaa';
const KEY_B = 'AIzaRotationKeyBBBBBBBBBBBBBBBBBBBBbbbbb';
const KEY_C = 'AIzaRotationKeyCCCCCCCCCCCCCCCCCCCCccccc';

/** The pool's id for an API key: its last five characters, never the key. */
const keyId = (key: string) => `key...${key.slice(-5)}`;

const modelCalls = (fake: FakeGoogle, action = 'generateContent'): RecordedRequest[] =>
  fake.requests.filter((r) => r.action === action);

interface GoogleErrorJson {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

interface OpenAIErrorJson {
  error: { message: string; type: string; code: string | null };
}

describe('rotation over an API-key pool', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const clock = new ManualClock();

  beforeAll(async () => {
    // Frozen unless a test moves it: the seconds a cooldown has left do not depend on load.
    clock.freeze();
    fake = await FakeGoogle.start();
    for (const key of [KEY_A, KEY_B]) fake.addApiKey(key);
    proxy = await startPoolProxy(
      { ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}`, UPSTREAM_TIMEOUT_MS: '1000' },
      { clock },
    );
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  /** Sends requests until one reached `key` (the pool rotates, so the first may go elsewhere). */
  async function untilCalled(key: string): Promise<void> {
    for (let i = 0; i < 4; i++) {
      expect((await generate(proxy, `probe ${i}`)).status).toBe(200);
      if (modelCalls(fake).some((r) => r.credential === key)) return;
    }
    throw new Error(`no request reached ${keyId(key)}`);
  }

  it('fails over to the next credential when Google answers 429, and skips the limited one until its delay passes', async () => {
    fake.failNext(rateLimited(30));
    const res = await generate(proxy, 'first');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { candidates: unknown[] }).candidates).toHaveLength(1);
    const [limitedCall, servedCall] = modelCalls(fake);
    expect(modelCalls(fake)).toHaveLength(2);
    const limited = limitedCall.credential!;
    const other = servedCall.credential!;
    expect(other).not.toBe(limited);

    expect(await credentialStatus(proxy, keyId(limited))).toMatchObject({
      state: 'cooling',
      rateLimits: 1,
      cooldowns: [
        { model: MODEL, reason: 'RATE_LIMIT_EXCEEDED', kind: 'rate-limit', remainingSeconds: 30 },
      ],
      lastError: { status: 429, reason: 'RATE_LIMIT_EXCEEDED' },
    });

    fake.reset();
    for (let i = 0; i < 4; i++) expect((await generate(proxy, `during ${i}`)).status).toBe(200);
    expect(modelCalls(fake).map((r) => r.credential)).toEqual([other, other, other, other]);

    clock.advance(31_000);
    fake.reset();
    for (let i = 0; i < 4; i++) expect((await generate(proxy, `after ${i}`)).status).toBe(200);
    expect(new Set(modelCalls(fake).map((r) => r.credential))).toEqual(new Set([limited, other]));
    expect((await credentialStatus(proxy, keyId(limited))).state).toBe('ok');
  });

  it('cools a model only: the limited credential keeps serving other models', async () => {
    fake.failNext(rateLimited(30), { model: MODEL });
    expect((await generate(proxy, 'x')).status).toBe(200);
    const limited = modelCalls(fake)[0].credential!;
    fake.reset();
    for (let i = 0; i < 2; i++)
      expect((await generate(proxy, 'pro', 'gemini-2.5-pro')).status).toBe(200);
    expect(modelCalls(fake).map((r) => r.credential)).toContain(limited);
  });

  it('answers 429 with Retry-After for the soonest recovery when every credential is rate-limited (native dialect)', async () => {
    fake.failNext(rateLimited(30), { credential: KEY_A });
    fake.failNext(rateLimited(60), { credential: KEY_B });
    const first = await generate(proxy, 'both limited');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('30');
    const body = (await first.json()) as GoogleErrorJson;
    expect(body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(body.error.message).toMatch(/rate-limited/);
    expect(modelCalls(fake)).toHaveLength(2);

    fake.reset();
    clock.advance(10_000);
    const again = await generate(proxy, 'still limited');
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('20');
    expect(modelCalls(fake)).toHaveLength(0);
  });

  it('answers 429 with Retry-After in the OpenAI dialect when every credential is rate-limited', async () => {
    fake.failNext(rateLimited(45), { credential: KEY_A });
    fake.failNext(rateLimited(45), { credential: KEY_B });
    const res = await chat(proxy, {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('45');
    const body = (await res.json()) as OpenAIErrorJson;
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toMatch(/rate-limited/);
  });

  it('backs off exponentially when Google gives no delay, and a success clears the backoff', async () => {
    fake.failNext(rateLimited(undefined), { credential: KEY_A });
    await untilCalled(KEY_A);
    expect((await credentialStatus(proxy, keyId(KEY_A))).cooldowns[0]).toMatchObject({
      remainingSeconds: 1,
    });

    clock.advance(1_500);
    fake.reset();
    fake.failNext(rateLimited(undefined), { credential: KEY_A });
    await untilCalled(KEY_A);
    expect((await credentialStatus(proxy, keyId(KEY_A))).cooldowns[0]).toMatchObject({
      remainingSeconds: 2,
    });

    clock.advance(2_500);
    fake.reset();
    await untilCalled(KEY_A); // succeeds, which clears the strikes

    fake.reset();
    fake.failNext(rateLimited(undefined), { credential: KEY_A });
    await untilCalled(KEY_A);
    expect((await credentialStatus(proxy, keyId(KEY_A))).cooldowns[0]).toMatchObject({
      remainingSeconds: 1,
    });
  });

  it('cools a credential that hit a daily quota until midnight Pacific time, ignoring its short RetryInfo', async () => {
    fake.failNext({
      status: 429,
      body: googleError(
        429,
        'You exceeded your current quota, please check your plan and billing details.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              { quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '250' },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '38s' },
        ],
      ),
    });
    expect((await generate(proxy, 'daily')).status).toBe(200);
    const limited = modelCalls(fake)[0].credential!;
    const [cooldown] = (await credentialStatus(proxy, keyId(limited))).cooldowns;
    expect(cooldown.reason).toBe('DAILY_QUOTA_EXHAUSTED');
    expect(Math.abs(Date.parse(cooldown.until) - nextPacificMidnight(clock.now()))).toBeLessThan(
      5_000,
    );
  });

  it.each([
    [
      'SUBSCRIPTION_REQUIRED',
      'Gemini Code Assist license required for this account.',
      'https://console.cloud.google.com/gemini-admin/licenses',
    ],
    [
      'VALIDATION_REQUIRED',
      'Verify your account to continue.',
      'https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs',
    ],
    [
      'SERVICE_DISABLED',
      'Gemini for Google Cloud API has not been used in project 123 before or it is disabled.',
      'https://console.developers.google.com/apis/api/cloudaicompanion.googleapis.com/overview?project=123',
    ],
    [
      'UNSUPPORTED_CLIENT',
      'This client is no longer supported for individual accounts.',
      undefined,
    ],
    ['CONSUMER_INVALID', 'Permission denied on resource project proj-x.', undefined],
  ])(
    'disables a credential on 403 %s, shows the reason and fix link in /admin/credentials, and serves the request from another',
    async (reason, message, url) => {
      const before = await poolStatus(proxy);
      fake.failNext(
        permissionDenied(reason, message, url ? [{ description: 'Fix it', url }] : undefined),
      );
      const res = await generate(proxy, '403');
      expect(res.status).toBe(200);
      const [deniedCall, servedCall] = modelCalls(fake);
      expect(servedCall.credential).not.toBe(deniedCall.credential);
      const deniedId = keyId(deniedCall.credential!);
      const denied = await credentialStatus(proxy, deniedId);
      expect(denied).toMatchObject({
        state: 'disabled',
        disabled: { reason, message, fixUrl: url ? new URL(url).toString() : null },
        lastError: { status: 403, reason },
      });
      expect(denied.errors).toBe(before.credentials.find((c) => c.id === deniedId)!.errors + 1);

      fake.reset();
      for (let i = 0; i < 3; i++) expect((await generate(proxy, `after ${i}`)).status).toBe(200);
      expect(modelCalls(fake).every((r) => r.credential === servedCall.credential)).toBe(true);
    },
  );

  it('returns a 400 to the client at once and cools nobody', async () => {
    const before = await poolStatus(proxy);
    fake.failNext(
      badRequest('Invalid JSON payload received. Unknown name "foo": Cannot find field.'),
    );
    const res = await generate(proxy, 'bad');
    expect(res.status).toBe(400);
    expect(((await res.json()) as GoogleErrorJson).error).toEqual({
      code: 400,
      message: 'Invalid JSON payload received. Unknown name "foo": Cannot find field.',
      status: 'INVALID_ARGUMENT',
    });
    expect(modelCalls(fake)).toHaveLength(1);
    const after = await poolStatus(proxy);
    expect(after.credentials.map((c) => c.state)).toEqual(['ok', 'ok']);
    const health = (s: typeof after) =>
      s.credentials.map((c) => ({
        cooldowns: c.cooldowns,
        rateLimits: c.rateLimits,
        errors: c.errors,
        lastError: c.lastError,
      }));
    expect(health(after)).toEqual(health(before));
  });

  it('returns a 400 in the OpenAI dialect too, without cooling anyone', async () => {
    fake.failNext(badRequest('Request contains an invalid argument.'));
    const res = await chat(proxy, {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as OpenAIErrorJson).error.type).toBe('invalid_request_error');
    expect((await poolStatus(proxy)).summary).toMatchObject({ ok: 2, cooling: 0, disabled: 0 });
  });

  it.each([
    [503, 'UNAVAILABLE'],
    [500, 'INTERNAL'],
  ])(
    'fails over on a %i and only puts the failing credential behind the other for a moment',
    async (status, reason) => {
      fake.failNext(serverError(status));
      const res = await generate(proxy, '5xx');
      expect(res.status).toBe(200);
      const [failed, served] = modelCalls(fake);
      expect(served.credential).not.toBe(failed.credential);
      const faulted = await credentialStatus(proxy, keyId(failed.credential!));
      expect(faulted).toMatchObject({
        state: 'ok',
        cooldowns: [{ kind: 'transient', reason }],
      });
      expect(faulted.cooldowns[0].remainingSeconds).toBeLessThanOrEqual(10);
    },
  );

  it('fails over when a call hangs past UPSTREAM_TIMEOUT_MS, and Google sees that call closed', async () => {
    fake.failNext({ kind: 'hang' });
    const started = Date.now();
    const res = await generate(proxy, 'hang');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(5_000);
    const hung = await fake.waitForAbort((r) => r.action === 'generateContent');
    expect(await credentialStatus(proxy, keyId(hung.credential!))).toMatchObject({
      state: 'ok',
      cooldowns: [{ kind: 'transient', reason: 'timeout' }],
    });
  });

  it('marks a model unavailable for a credential that answers 404, and says 404 (not 429) when no credential has it', async () => {
    const notFound = {
      status: 404,
      body: googleError(404, 'models/gemini-9-ultra is not found for API version v1beta.'),
    };
    fake.failNext(notFound, { times: 2 });
    const first = await generate(proxy, 'nope', 'gemini-9-ultra');
    expect(first.status).toBe(404);
    expect(modelCalls(fake)).toHaveLength(2);

    fake.reset();
    const again = await generate(proxy, 'nope', 'gemini-9-ultra');
    expect(again.status).toBe(404);
    expect(again.headers.get('retry-after')).toBeNull();
    expect(((await again.json()) as GoogleErrorJson).error.message).toMatch(
      /not available to any credential/,
    );
    expect(modelCalls(fake)).toHaveLength(0);

    expect((await generate(proxy, 'other model')).status).toBe(200);
  });
});

describe('rotation with more credentials than MAX_ATTEMPTS', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const key of [KEY_A, KEY_B, KEY_C]) fake.addApiKey(key);
    proxy = await startPoolProxy({
      ...fake.env(),
      GEMINI_API_KEYS: `${KEY_A},${KEY_B},${KEY_C}`,
      MAX_ATTEMPTS: '2',
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('stops after MAX_ATTEMPTS distinct credentials and returns Google’s last answer', async () => {
    fake.failNext(serverError(503), { times: 5 });
    const res = await generate(proxy, 'all failing');
    expect(res.status).toBe(503);
    const calls = modelCalls(fake);
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.credential)).size).toBe(2);
  });
});

describe('rotation over an OAuth pool on Code Assist', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  const accounts = [
    { email: 'ada@example.com', refreshToken: 'rt-rotation-ada-11111', projectId: 'proj-ada' },
    { email: 'bob@example.com', refreshToken: 'rt-rotation-bob-22222', projectId: 'proj-bob' },
  ];

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    for (const a of accounts) fake.addOAuthAccount(a);
    const list = accounts.map((a) => ({
      client_id: 'client-id',
      client_secret: 'client-secret',
      refresh_token: a.refreshToken,
      project_id: a.projectId,
      user_email: a.email,
    }));
    proxy = await startPoolProxy({
      ...fake.env(),
      CREDENTIALS_JSON_LIST: JSON.stringify(list),
      UPSTREAM_TIMEOUT_MS: '1000',
    });
    // Both accounts fetch their first access token here, so that later counts only see forced refreshes.
    for (let i = 0; i < 2; i++) expect((await generate(proxy, `warm ${i}`)).status).toBe(200);
  });

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    await enableAll(proxy);
    fake.reset();
  });

  it('refreshes the token once and retries on the same account when Google answers 401', async () => {
    fake.failNext(unauthenticated());
    const res = await generate(proxy, 'expired token');
    expect(res.status).toBe(200);
    const calls = modelCalls(fake);
    expect(calls).toHaveLength(2);
    expect(calls[1].credential).toBe(calls[0].credential);
    const account = accounts.find((a) => a.email === calls[0].credential)!;
    expect(fake.tokenRefreshes(account.refreshToken)).toBe(1);
    expect(calls[1].headers.authorization).not.toBe(calls[0].headers.authorization);
    expect(await credentialStatus(proxy, `${account.email}/${account.projectId}`)).toMatchObject({
      state: 'ok',
      errors: 0,
    });
  });

  it('disables an account whose refresh fails with invalid_grant, and serves the request from another', async () => {
    fake.failNext(unauthenticated());
    fake.failNext(
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      },
      { action: 'refresh_token' },
    );
    const res = await generate(proxy, 'revoked');
    expect(res.status).toBe(200);
    const calls = modelCalls(fake);
    const revoked = accounts.find((a) => a.email === calls[0].credential)!;
    expect(calls[calls.length - 1].credential).not.toBe(revoked.email);
    expect(await credentialStatus(proxy, `${revoked.email}/${revoked.projectId}`)).toMatchObject({
      state: 'disabled',
      disabled: { reason: 'invalid_grant' },
    });
  });

  it('bounds a token refresh that hangs by UPSTREAM_TIMEOUT_MS and fails over to another account', async () => {
    fake.failNext(unauthenticated());
    fake.failNext({ kind: 'hang' }, { action: 'refresh_token' });
    const started = Date.now();
    const res = await generate(proxy, 'token endpoint hangs');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const calls = modelCalls(fake);
    const stuck = accounts.find((a) => a.email === calls[0].credential)!;
    expect(calls[calls.length - 1].credential).not.toBe(stuck.email);
    expect(await credentialStatus(proxy, `${stuck.email}/${stuck.projectId}`)).toMatchObject({
      state: 'ok',
      cooldowns: [expect.objectContaining({ kind: 'transient', reason: 'timeout' })],
    });
  });
});
