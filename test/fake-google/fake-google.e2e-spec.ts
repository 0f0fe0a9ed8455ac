import { FakeGoogle } from './fake-google';
import {
  accessToken,
  bearer,
  postJson,
  refresh,
  replyText,
  sseEvents,
  userTurn,
} from './spec-helpers';

const ALICE = { email: 'alice@example.com', refreshToken: 'rt-alice', projectId: 'proj-alice' };

describe('FakeGoogle: token endpoint and Code Assist', () => {
  let fake: FakeGoogle;
  let token: string;

  beforeEach(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount(ALICE);
    token = await accessToken(fake, ALICE.refreshToken);
  });

  afterEach(() => fake.close());

  const generate = (body: unknown, headers = bearer(token)) =>
    postJson(`${fake.url}/v1internal:generateContent`, body, headers);

  const envelope = (text: string, extra: Record<string, unknown> = {}) => ({
    model: 'gemini-2.5-pro',
    project: ALICE.projectId,
    request: { ...userTurn(text), ...extra },
  });

  describe('token endpoint', () => {
    it('issues a bearer access token for a registered refresh token', async () => {
      const res = await refresh(fake, ALICE.refreshToken);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        access_token: expect.stringMatching(/^ya29\./),
        expires_in: 3600,
        token_type: 'Bearer',
        scope: expect.stringContaining('cloud-platform'),
      });
      expect(fake.tokenRefreshes(ALICE.refreshToken)).toBe(2);
    });

    it('accepts a JSON body as well as a form', async () => {
      const res = await postJson(`${fake.url}/token`, {
        grant_type: 'refresh_token',
        refresh_token: ALICE.refreshToken,
      });
      expect(res.status).toBe(200);
    });

    it('answers invalid_grant once the refresh token is revoked', async () => {
      fake.revokeRefreshToken(ALICE.refreshToken);
      const res = await refresh(fake, ALICE.refreshToken);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
    });

    it('answers invalid_grant for a refresh token it never issued', async () => {
      const res = await refresh(fake, 'rt-unknown');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    });
  });

  describe('generateContent', () => {
    it('answers the default reply inside the {response, traceId} envelope', async () => {
      const res = await generate(envelope('hi there'));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { response: unknown; traceId: string };
      expect(body.traceId).toEqual(expect.any(String));
      expect(replyText(body.response)).toBe('Hello from gemini-2.5-pro: hi there');
      expect(body.response).toMatchObject({
        candidates: [{ finishReason: 'STOP', index: 0, content: { role: 'model' } }],
        usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 5, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-pro',
        responseId: expect.any(String),
      });
    });

    it('records the call with its action, model and account', async () => {
      await generate(envelope('hi'));
      const call = await fake.waitForRequest((r) => r.action === 'generateContent');
      expect(call).toMatchObject({
        api: 'code-assist',
        model: 'gemini-2.5-pro',
        credential: ALICE.email,
        aborted: false,
        body: { project: ALICE.projectId },
      });
    });

    it.each([
      ['no token', {}],
      ['a token it never issued', bearer('ya29.made-up')],
    ])('rejects a call with %s as 401 UNAUTHENTICATED', async (_name, headers) => {
      const res = await generate(envelope('hi'), headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    });

    it('rejects an expired access token as 401', async () => {
      fake.addOAuthAccount({ ...ALICE, accessTokenTtlSeconds: 0 });
      const expired = await accessToken(fake, ALICE.refreshToken);
      const res = await generate(envelope('hi'), bearer(expired));
      expect(res.status).toBe(401);
    });

    it("refuses a project other than the account's as 403 PERMISSION_DENIED", async () => {
      const res = await generate({ ...envelope('hi'), project: 'someone-else' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: { status: 'PERMISSION_DENIED', details: [{ reason: 'CONSUMER_INVALID' }] },
      });
    });

    it('rejects a request without contents as 400 INVALID_ARGUMENT', async () => {
      const res = await generate({ ...envelope('hi'), request: {} });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    });

    it('answers candidateCount candidates and a thought part when thoughts are asked for', async () => {
      const config = { candidateCount: 2, thinkingConfig: { includeThoughts: true } };
      const res = await generate(envelope('hi', { generationConfig: config }));
      const { response } = (await res.json()) as { response: Record<string, unknown> };
      expect(replyText(response, 1)).toBe('Hello from gemini-2.5-pro: hi #1');
      expect(response).toMatchObject({
        candidates: [
          { content: { parts: [{ text: 'Thinking about it.', thought: true }, {}] } },
          { index: 1 },
        ],
        usageMetadata: { candidatesTokenCount: 9, thoughtsTokenCount: 6, totalTokenCount: 16 },
      });
    });

    it('answers malformed JSON with a Google 400', async () => {
      const res = await fetch(`${fake.url}/v1internal:generateContent`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: '{"model":',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    });

    it('answers an unknown route with a Google 404', async () => {
      const res = await postJson(`${fake.url}/v1internal:noSuchMethod`, {}, bearer(token));
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    });

    it('counts the words of the contents as tokens', async () => {
      const res = await postJson(
        `${fake.url}/v1internal:countTokens`,
        { request: { model: 'models/gemini-2.5-pro', ...userTurn('one two three') } },
        bearer(token),
      );
      expect(await res.json()).toEqual({ totalTokens: 3 });
    });
  });

  describe('streamGenerateContent', () => {
    it('frames each event as `data: {response, traceId}` followed by a blank line', async () => {
      const res = await postJson(
        `${fake.url}/v1internal:streamGenerateContent?alt=sse`,
        envelope('tell me'),
        bearer(token),
      );
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const text = await res.text();
      expect(text).toMatch(/^data: \{"response":/);
      expect(text.endsWith('}\n\n')).toBe(true);
      const events = sseEvents(text) as { response: Record<string, unknown>; traceId: string }[];
      expect(events).toHaveLength(3);
      expect(new Set(events.map((e) => e.traceId)).size).toBe(1);
      expect(events.map((e) => replyText(e.response)).join('')).toBe(
        'Hello from gemini-2.5-pro: tell me',
      );
      expect(events[1].response.usageMetadata).toBeUndefined();
      expect(events[2].response).toMatchObject({
        candidates: [{ finishReason: 'STOP' }],
        usageMetadata: { totalTokenCount: 7 },
      });
    });
  });
});
