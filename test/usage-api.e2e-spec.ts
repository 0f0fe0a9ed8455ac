import { FakeGoogle } from './fake-google/fake-google';
import { AUTH, JSON_AUTH } from './support/pool-harness';
import { ProxyProcess } from './support/proxy-process';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { freePort } from './support/redis-server';
import { waitFor } from './support/wait';

const KEY = 'AIzaLedgerKey0000000000000000000000bbbbb';
const MODEL = 'gemini-2.5-flash';

describe('GET /admin/api/usage', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;

  const usage = (query = '', headers: Record<string, string> = AUTH) =>
    fetch(`${proxy.url}/admin/api/usage${query}`, { headers });

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: KEY });
    for (const [prompt, output] of [
      [7, 3],
      [11, 5],
    ]) {
      fake.enqueue({
        response: {
          candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, index: 0 }],
          usageMetadata: { promptTokenCount: prompt, candidatesTokenCount: output },
        },
      });
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
    }
    // A 429 from Google with the only key: counted as rate-limited, not as an error.
    fake.failNext({ status: 429, body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } });
    await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await waitFor(
      async () =>
        JSON.stringify(await (await usage('?group=model')).json()).includes('"requests":3'),
      10_000,
      'three rows in the ledger',
    );
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it('answers the last 24 hours by hour and credential by default, numbers as JSON numbers', async () => {
    const res = await usage();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { rows: unknown[] };
    expect(body.bucket).toBe('hour');
    expect(body.group).toBe('credential');
    expect(Date.parse(body.to as string) - Date.parse(body.from as string)).toBe(86_400_000);
    expect(body.rows).toEqual([
      {
        start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/),
        key: 'key...bbbbb',
        requests: 3,
        errors: 0,
        rate_limited: 1,
        prompt_tokens: 18,
        output_tokens: 8,
        thought_tokens: 0,
        cached_tokens: 0,
      },
    ]);
  });

  it('groups by model, client or dialect and buckets by day', async () => {
    for (const [group, key] of [
      ['model', MODEL],
      ['client', 'password'],
      ['dialect', 'chat'],
    ]) {
      const body = (await (await usage(`?bucket=day&group=${group}`)).json()) as {
        rows: { key: string; start: string; requests: number }[];
      };
      expect(body.rows.map((r) => [r.key, r.requests])).toEqual([[key, 3]]);
      expect(body.rows[0].start).toMatch(/T00:00:00\.000Z$/);
    }
  });

  it('leaves out what falls outside from/to', async () => {
    const body = (await (
      await usage('?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')
    ).json()) as { rows: unknown[]; from: string };
    expect(body.from).toBe('2020-01-01T00:00:00.000Z');
    expect(body.rows).toEqual([]);
  });

  it('sends CSV with a header line on format=csv', async () => {
    const res = await usage('?group=dialect&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'start,key,requests,errors,rate_limited,prompt_tokens,output_tokens,thought_tokens,cached_tokens',
    );
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^[^,]+Z,chat,3,0,1,18,8,0,0$/)]);
  });

  it.each([
    ['?bucket=week', /bucket must be one of the following values: hour, day/],
    ['?group=user', /group must be one of the following values/],
    ['?from=yesterday', /from must be an ISO 8601 date-time/],
    ['?format=xml', /format must be one of the following values/],
    ['?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', /from must be before to/],
    ['?from=2000-01-01T00:00:00Z', /narrow it or use bucket=day/],
  ])('refuses %s with a 400 that says why', async (query, message) => {
    const res = await usage(query);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(message);
  });

  it('refuses a request without the password', async () => {
    expect((await usage('', {})).status).toBe(401);
    expect((await usage('', { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('takes the /admin sign-in cookie', async () => {
    const signIn = await fetch(`${proxy.url}/admin?key=${TEST_PASSWORD}`, { redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const res = await usage('', { cookie });
    expect(res.status).toBe(200);
  });

  it('is described by OpenAPI at /admin/api/docs, behind the password', async () => {
    expect((await fetch(`${proxy.url}/admin/api/docs`)).status).toBe(401);
    const doc = (await (await fetch(`${proxy.url}/admin/api/docs`, { headers: AUTH })).json()) as {
      openapi: string;
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/admin/api/usage');
    expect(doc.paths['/admin/api/usage'].get?.parameters?.map((p) => p.name).sort()).toEqual([
      'bucket',
      'format',
      'from',
      'group',
      'to',
    ]);
  });

  it('shows on /admin that the ledger is up to date', async () => {
    const page = await (await fetch(`${proxy.url}/admin`, { headers: AUTH })).text();
    expect(page).toMatch(/usage ledger: sqlite \(.*proxy\.db\), up to date/);
  });
});

describe('start-up with REDIS_URL and no DATABASE_URL', () => {
  it('warns that each replica keeps its own usage history', async () => {
    // Nothing listens there: the replica serves on local state and says so, which is fine here.
    const proxy = await ProxyProcess.start({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      expect(proxy.output).toMatch(/each replica keeps its own usage history/);
    } finally {
      await proxy.stop();
    }
  });
});
