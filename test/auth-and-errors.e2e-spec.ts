import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const basic = (pw: string) => `Basic ${Buffer.from(`any-user:${pw}`).toString('base64')}`;

describe('proxy password and error dialects', () => {
  let proxy: RunningProxy;

  beforeAll(async () => {
    // No credentials: an authorised model call gets 503, an unauthorised one 401.
    proxy = await startTestProxy({ BODY_LIMIT: '1kb' });
  });

  afterAll(async () => {
    await proxy.close();
  });

  const native = (headers: Record<string, string> = {}, query = '') =>
    fetch(`${proxy.url}/v1beta/models/gemini-2.5-pro:generateContent${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
    });

  it('serves /health without a password', async () => {
    const res = await fetch(`${proxy.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', credentials: 0, usable: 0 });
  });

  it.each([
    ['Authorization: Bearer', { authorization: `Bearer ${TEST_PASSWORD}` }, ''],
    ['Basic auth', { authorization: basic(TEST_PASSWORD) }, ''],
    ['x-goog-api-key', { 'x-goog-api-key': TEST_PASSWORD }, ''],
    ['x-api-key', { 'x-api-key': TEST_PASSWORD }, ''],
    ['?key=', {}, `?key=${TEST_PASSWORD}`],
  ])('accepts the password sent as %s', async (_name, headers, query) => {
    const res = await native(headers, query);
    expect(res.status).toBe(503); // past the guard; the pool is empty
  });

  it('answers a missing password on /v1beta with 401 in Google’s shape', async () => {
    const res = await native();
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        code: 401,
        message: expect.stringMatching(/Missing proxy password/),
        status: 'UNAUTHENTICATED',
      },
    });
  });

  it('answers a wrong password on /v1 with 401 in OpenAI’s shape', async () => {
    const res = await fetch(`${proxy.url}/v1/models`, {
      headers: { authorization: 'Bearer wrong-password' },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      message: 'Invalid proxy password.',
      type: 'authentication_error',
    });
    expect(JSON.stringify(body)).not.toContain('wrong-password');
  });

  it('answers an unknown route with 404 in the route’s dialect', async () => {
    const google = await fetch(`${proxy.url}/v1beta/nothing`, {
      headers: { 'x-goog-api-key': TEST_PASSWORD },
    });
    expect(google.status).toBe(404);
    expect(((await google.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    const openai = await fetch(`${proxy.url}/v1/nothing`, {
      headers: { authorization: `Bearer ${TEST_PASSWORD}` },
    });
    expect(openai.status).toBe(404);
    expect(((await openai.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });

  it('answers invalid JSON with a 400 that says so', async () => {
    const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TEST_PASSWORD },
      body: '{"contents": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 400,
        message: 'The request body is not valid JSON.',
        status: 'INVALID_ARGUMENT',
      },
    });
  });

  it('answers a body over BODY_LIMIT with 413', async () => {
    const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-pro:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TEST_PASSWORD },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x'.repeat(5000) }] }] }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /BODY_LIMIT/,
    );
  });

  it('answers an unsupported native action with 404 naming the supported ones', async () => {
    const res = await fetch(`${proxy.url}/v1beta/models/gemini-2.5-pro:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TEST_PASSWORD },
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /generateContent/,
    );
  });
});
