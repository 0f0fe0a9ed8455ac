import type { AdminStatus } from '../src/admin/admin-view';
import { FakeGoogle } from './fake-google/fake-google';
import { AUTH, JSON_AUTH, readSse, userTurn } from './support/pool-harness';
import { ProxyProcess } from './support/proxy-process';
import { waitFor } from './support/wait';

const KEY = 'AQ.Ab8RN6ServedModelKeyAAAAAAAAAAAAAAAmodel';
const KEY_ID = 'key...model';
const ADA = {
  email: 'ada@example.com',
  refreshToken: '1//rt-served-model-ada-zyxwv',
  projectId: 'proj-ada',
};

/**
 * Google answers some retired IDs with another model (`modelVersion`) and bills that one: the
 * deployed proxy writes both into the request's log line, counts the pair on /admin and in the
 * metrics, and says nothing when Google served the model asked for.
 */
describe('the model Google served, beside the one asked for', () => {
  let fake: FakeGoogle;
  let proc: ProxyProcess;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    proc = await ProxyProcess.start({ ...fake.env(), GEMINI_API_KEYS: KEY });
  });

  afterAll(async () => {
    await proc?.stop();
    await fake?.close();
  });

  beforeEach(() => fake.reset());

  const native = (model: string, action: string, query = '') =>
    fetch(`${proc.url}/v1beta/models/${model}:${action}${query}`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify(userTurn('hi')),
    });

  /** The request log line of the one call that asked for `model` on `route`, once it is written. */
  async function logLine(route: string, model: string): Promise<string> {
    const pattern = new RegExp(`^.*POST ${route} 200 .*model=${model}(?= ).*$`, 'gm');
    let found: string[] = [];
    await waitFor(
      () => (found = proc.output.match(pattern) ?? []).length > 0,
      10_000,
      `the log line of ${model}`,
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  async function adminStatus(): Promise<AdminStatus> {
    return (await (
      await fetch(`${proc.url}/admin/credentials`, { headers: AUTH })
    ).json()) as AdminStatus;
  }

  async function adminPage(): Promise<string> {
    return (await fetch(`${proc.url}/admin`, { headers: AUTH })).text();
  }

  it('logs no served model and shows no mismatch when Google served the model asked for', async () => {
    const res = await native('gemini-3.8-flash', 'generateContent');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { modelVersion: string }).modelVersion).toBe('gemini-3.8-flash');
    const line = await logLine('/v1beta/models/:modelAction', 'gemini-3.8-flash');
    expect(line).not.toContain('served=');
    expect((await adminStatus()).servedModels).toEqual({ mismatches: [], overflow: 0 });
    expect(await adminPage()).not.toContain('Answered by another model');
  });

  it('logs both models for a native answer, a native stream, an OpenAI stream and a Responses answer Google re-routed', async () => {
    fake.routeModel('gemini-2.5-pro', 'gemini-3.8-flash');
    fake.routeModel('gemini-2.5-flash', 'gemini-3.5-flash-lite');
    fake.routeModel('gemini-3.5-flash', 'gemini-3.6-flash');

    const bytes = await native('gemini-2.5-pro', 'generateContent');
    expect(bytes.status).toBe(200);
    // Relayed unchanged: the client sees what Google said it ran.
    expect(((await bytes.json()) as { modelVersion: string }).modelVersion).toBe(
      'gemini-3.8-flash',
    );
    const streamed = await native('gemini-2.5-flash', 'streamGenerateContent', '?alt=sse');
    expect(streamed.status).toBe(200);
    await readSse(streamed);
    const chat = await fetch(`${proc.url}/v1/chat/completions`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({
        model: 'gemini-3.5-flash-nothinking',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(chat.status).toBe(200);
    await readSse(chat);
    const answer = await fetch(`${proc.url}/v1/responses`, {
      method: 'POST',
      headers: JSON_AUTH,
      body: JSON.stringify({ model: 'gemini-2.5-pro-search', input: 'hi' }),
    });
    expect(answer.status).toBe(200);

    expect(await logLine('/v1beta/models/:modelAction', 'gemini-2.5-pro')).toContain(
      `model=gemini-2.5-pro served=gemini-3.8-flash credential=${KEY_ID}`,
    );
    expect(await logLine('/v1beta/models/:modelAction', 'gemini-2.5-flash')).toContain(
      'model=gemini-2.5-flash served=gemini-3.5-flash-lite ',
    );
    expect(await logLine('/v1/chat/completions', 'gemini-3.5-flash')).toContain(
      'model=gemini-3.5-flash served=gemini-3.6-flash ',
    );
    expect(await logLine('/v1/responses', 'gemini-2.5-pro')).toContain(
      'model=gemini-2.5-pro served=gemini-3.8-flash ',
    );
  });

  it('counts each asked/served pair on /admin and in the metrics, and nothing for the model served as asked', async () => {
    fake.routeModel('gemini-2.5-pro', 'gemini-3.8-flash');
    fake.routeModel('gemini-3.6-flash', 'gemini-3.8-flash');
    const before = await adminStatus();
    const countOf = (s: AdminStatus, asked: string) =>
      s.servedModels.mismatches.find((m) => m.asked === asked)?.count ?? 0;
    for (const model of [
      'gemini-2.5-pro',
      'gemini-2.5-pro',
      'gemini-3.6-flash',
      'gemini-3.8-flash',
    ]) {
      expect((await native(model, 'generateContent')).status).toBe(200);
    }

    const after = await adminStatus();
    expect(countOf(after, 'gemini-2.5-pro') - countOf(before, 'gemini-2.5-pro')).toBe(2);
    expect(after.servedModels.mismatches).toContainEqual({
      asked: 'gemini-2.5-pro',
      served: 'gemini-3.8-flash',
      count: expect.any(Number),
      lastAt: expect.any(String),
      lastCredential: KEY_ID,
      announcedSince: '2026-12-01',
    });
    expect(after.servedModels.mismatches).toContainEqual(
      expect.objectContaining({ asked: 'gemini-3.6-flash', count: 1, announcedSince: null }),
    );
    expect(after.servedModels.mismatches.map((m) => m.asked)).not.toContain('gemini-3.8-flash');

    const page = await adminPage();
    const table = page.slice(page.indexOf('Answered by another model'));
    expect(table).toMatch(
      /<code>gemini-2\.5-pro<\/code><\/td>\s*<td><code>gemini-3\.8-flash<\/code><\/td>\s*<td class="num">\d+ times<\/td>/,
    );
    expect(table).toContain('Google re-routes this ID since 2026-12-01');

    const metrics = await (await fetch(`${proc.url}/metrics`, { headers: AUTH })).text();
    expect(metrics).toMatch(
      /^gemini_proxy_served_model_mismatches_total\{requested="gemini-3\.6-flash",served="gemini-3\.8-flash"\} 1$/m,
    );
    expect(metrics).not.toMatch(/served_model_mismatches_total\{requested="gemini-3\.8-flash"/);
  });
});

describe('the model Code Assist served', () => {
  let fake: FakeGoogle;
  let proc: ProxyProcess;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount(ADA);
    const accounts = [
      { refresh_token: ADA.refreshToken, project_id: ADA.projectId, user_email: ADA.email },
    ];
    proc = await ProxyProcess.start({
      ...fake.env(),
      CREDENTIALS_JSON_LIST: JSON.stringify(accounts),
    });
  });

  afterAll(async () => {
    await proc?.stop();
    await fake?.close();
  });

  it('reads modelVersion inside Code Assist’s response envelope, answer and stream', async () => {
    fake.routeModel('gemini-2.5-pro', 'gemini-3.8-flash');
    for (const stream of [false, true]) {
      const res = await fetch(`${proc.url}/v1/chat/completions`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({
          model: 'gemini-2.5-pro',
          stream,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(res.status).toBe(200);
      if (stream) await readSse(res);
      else await res.json();
    }
    const served = new RegExp(
      `POST /v1/chat/completions 200 .*model=gemini-2\\.5-pro served=gemini-3\\.8-flash credential=${ADA.email}/${ADA.projectId} `,
      'g',
    );
    await waitFor(
      () => (proc.output.match(served) ?? []).length === 2,
      10_000,
      'two log lines with the served model',
    );
  });
});
