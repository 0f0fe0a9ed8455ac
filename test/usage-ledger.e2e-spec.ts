import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle, GeminiResponse } from './fake-google/fake-google';
import { AUTH, JSON_AUTH } from './support/pool-harness';
import { PostgresServer } from './support/postgres-server';
import { RunningProxy, startTestProxy } from './support/proxy';
import { waitFor } from './support/wait';

const KEY = 'AIzaLedgerKey0000000000000000000000aaaaa';
const MODEL = 'gemini-2.5-flash';

interface Usage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount: number;
  cachedContentTokenCount: number;
}

interface Totals {
  requests: number;
  errors: number;
  rate_limited: number;
  prompt_tokens: number;
  output_tokens: number;
  thought_tokens: number;
  cached_tokens: number;
}

interface ReportRow extends Totals {
  start: string;
  key: string;
}

const ZERO: Totals = {
  requests: 0,
  errors: 0,
  rate_limited: 0,
  prompt_tokens: 0,
  output_tokens: 0,
  thought_tokens: 0,
  cached_tokens: 0,
};

/** One model call in a client dialect; `usage` is what the fake Google answers it with, if anything. */
interface Call {
  dialect: string;
  name: string;
  generates: boolean;
  stream: boolean;
  send(url: string): Promise<Response>;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { ...JSON_AUTH, ...headers },
    body: JSON.stringify(body),
  });
const ANTHROPIC = { 'anthropic-version': '2023-06-01' };
const turn = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

const CALLS: Call[] = [
  ...[false, true].flatMap((stream): Call[] => [
    {
      dialect: 'chat',
      name: `chat${stream ? ' stream' : ''}`,
      generates: true,
      stream,
      send: (url) =>
        post(`${url}/v1/chat/completions`, {
          model: MODEL,
          stream,
          messages: [{ role: 'user', content: 'hi' }],
        }),
    },
    {
      dialect: 'responses',
      name: `responses${stream ? ' stream' : ''}`,
      generates: true,
      stream,
      send: (url) => post(`${url}/v1/responses`, { model: MODEL, stream, input: 'hi' }),
    },
    {
      dialect: 'messages',
      name: `messages${stream ? ' stream' : ''}`,
      generates: true,
      stream,
      send: (url) =>
        post(
          `${url}/v1/messages`,
          { model: MODEL, stream, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
          ANTHROPIC,
        ),
    },
    {
      dialect: 'native',
      name: `native ${stream ? 'streamGenerateContent' : 'generateContent'}`,
      generates: true,
      stream,
      send: (url) =>
        post(
          `${url}/v1beta/models/${MODEL}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
          turn,
        ),
    },
  ]),
  {
    dialect: 'embeddings',
    name: 'embeddings',
    generates: false,
    stream: false,
    send: (url) => post(`${url}/v1/embeddings`, { model: 'gemini-embedding-001', input: 'hi' }),
  },
  {
    dialect: 'messages',
    name: 'messages count_tokens',
    generates: false,
    stream: false,
    send: (url) =>
      post(
        `${url}/v1/messages/count_tokens`,
        { model: MODEL, messages: [{ role: 'user', content: 'hi' }] },
        ANTHROPIC,
      ),
  },
  {
    dialect: 'native',
    name: 'native countTokens',
    generates: false,
    stream: false,
    send: (url) => post(`${url}/v1beta/models/${MODEL}:countTokens`, turn),
  },
  {
    dialect: 'responses',
    name: 'responses input_tokens',
    generates: false,
    stream: false,
    send: (url) => post(`${url}/v1/responses/input_tokens`, { model: MODEL, input: 'hi' }),
  },
];

function usageFor(i: number): Usage {
  return {
    promptTokenCount: 100 + 7 * i,
    candidatesTokenCount: 20 + 3 * i,
    thoughtsTokenCount: 5 + i,
    cachedContentTokenCount: 10 + (i % 4),
  };
}

/** The fake's answer with this usage: two events for a stream, usage on the last one only. */
function answerWith(usage: Usage, stream: boolean) {
  const last: GeminiResponse = {
    candidates: [
      { content: { role: 'model', parts: [{ text: 'done.' }] }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: {
      ...usage,
      totalTokenCount:
        usage.promptTokenCount + usage.candidatesTokenCount + usage.thoughtsTokenCount,
    },
    modelVersion: MODEL,
  };
  if (!stream) return { response: last };
  const first: GeminiResponse = {
    candidates: [{ content: { role: 'model', parts: [{ text: 'All ' }] }, index: 0 }],
    modelVersion: MODEL,
  };
  return { stream: [first, last] };
}

function add(into: Totals, usage: Usage | undefined): void {
  into.requests += 1;
  if (!usage) return;
  into.prompt_tokens += usage.promptTokenCount;
  into.output_tokens += usage.candidatesTokenCount;
  into.thought_tokens += usage.thoughtsTokenCount;
  into.cached_tokens += usage.cachedContentTokenCount;
}

/** Sends every call once, each generating one with its own usage; returns the fake's sums by dialect. */
async function sendEveryDialect(fake: FakeGoogle, url: string): Promise<Record<string, Totals>> {
  const expected: Record<string, Totals> = {};
  for (const [i, call] of CALLS.entries()) {
    const usage = call.generates ? usageFor(i) : undefined;
    if (usage) fake.enqueue(answerWith(usage, call.stream));
    const res = await call.send(url);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${call.name}: ${res.status} ${text.slice(0, 300)}`);
    add((expected[call.dialect] ??= { ...ZERO }), usage);
  }
  return expected;
}

async function usageReport(url: string, query: string): Promise<ReportRow[]> {
  const res = await fetch(`${url}/admin/api/usage?${query}`, { headers: AUTH });
  if (res.status !== 200) throw new Error(`usage API: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { rows: ReportRow[] }).rows;
}

/** The report's rows summed per key (a test may straddle an hour or a day). */
async function totalsBy(
  url: string,
  group: string,
  bucket = 'day',
): Promise<Record<string, Totals>> {
  const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const rows = await usageReport(url, `group=${group}&bucket=${bucket}&from=${from}`);
  const out: Record<string, Totals> = {};
  for (const row of rows) {
    const t = (out[row.key] ??= { ...ZERO });
    for (const k of Object.keys(ZERO) as (keyof Totals)[]) t[k] += row[k];
  }
  return out;
}

async function waitForTotals(url: string, group: string, expected: Record<string, Totals>) {
  let last: Record<string, Totals> = {};
  try {
    await waitFor(
      async () => {
        last = await totalsBy(url, group);
        return JSON.stringify(sorted(last)) === JSON.stringify(sorted(expected));
      },
      15_000,
      'the ledger totals',
    );
  } catch {
    expect(sorted(last)).toEqual(sorted(expected));
  }
}

const sorted = (o: Record<string, Totals>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

type Engine = 'sqlite' | 'postgres';

describe('usage ledger', () => {
  let fake: FakeGoogle;
  let postgres: PostgresServer;
  const dirs: string[] = [];
  let databases = 0;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY);
    postgres = await PostgresServer.start();
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await postgres?.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => fake.reset());

  /** Configuration for a fresh ledger on `engine`: its own folder, and its own database on PostgreSQL. */
  async function freshLedger(engine: Engine): Promise<Record<string, string>> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-'));
    dirs.push(dir);
    const env: Record<string, string> = {
      ...fake.env(),
      GEMINI_API_KEYS: KEY,
      PERSISTENT_STORAGE_PATH: dir,
    };
    if (engine === 'postgres') {
      env.DATABASE_URL = await postgres.createDatabase(`ledger_${++databases}`);
    }
    return env;
  }

  describe.each<Engine>(['sqlite', 'postgres'])('on %s', (engine) => {
    let proxy: RunningProxy | undefined;
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
    });

    it("totals equal the fake Google's usageMetadata sums in every dialect, streamed or not", async () => {
      proxy = await startTestProxy(await freshLedger(engine));
      const expected = await sendEveryDialect(fake, proxy.url);
      await waitForTotals(proxy.url, 'dialect', expected);
      const all = Object.values(expected).reduce(
        (sum, t) => {
          for (const k of Object.keys(ZERO) as (keyof Totals)[]) sum[k] += t[k];
          return sum;
        },
        { ...ZERO },
      );
      await waitForTotals(proxy.url, 'client', { password: all });
      await waitForTotals(proxy.url, 'credential', { 'key...aaaaa': all });
    });

    it('keeps the totals across a restart', async () => {
      const env = await freshLedger(engine);
      proxy = await startTestProxy(env);
      const expected = await sendEveryDialect(fake, proxy.url);
      // No waiting: closing the app writes what is still queued.
      await proxy.close();
      proxy = await startTestProxy(env);
      await waitForTotals(proxy.url, 'dialect', expected);
    });
  });

  it('writes one row per request in the SQLite file, marking a stream cut before its usage', async () => {
    const env = await freshLedger('sqlite');
    const proxy = await startTestProxy(env);
    try {
      fake.enqueue(answerWith(usageFor(1), false));
      expect((await CALLS[0].send(proxy.url)).status).toBe(200);
      fake.failNext({ kind: 'cutMidStream', afterEvents: 1 });
      const cut = await post(
        `${proxy.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
        turn,
      );
      await cut.text().catch(() => '');
      await waitFor(
        async () => (await totalsBy(proxy.url, 'dialect')).native?.requests === 1,
        10_000,
      );
    } finally {
      await proxy.close();
    }
    const db = new BetterSqlite3(path.join(env.PERSISTENT_STORAGE_PATH, 'proxy.db'), {
      readonly: true,
    });
    try {
      const rows = db.prepare('select * from usage_rows order by time').all() as Record<
        string,
        unknown
      >[];
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        client: 'password',
        dialect: 'chat',
        requested_model: MODEL,
        served_model: MODEL,
        credential: 'key...aaaaa',
        attempts: 1,
        status: 200,
        prompt_tokens: usageFor(1).promptTokenCount,
        output_tokens: usageFor(1).candidatesTokenCount,
        thought_tokens: usageFor(1).thoughtsTokenCount,
        cached_tokens: usageFor(1).cachedContentTokenCount,
        usage_missing: 0,
        error_reason: null,
      });
      expect(rows[1]).toMatchObject({
        dialect: 'native',
        usage_missing: 1,
        error_reason: 'stream-error',
        prompt_tokens: 0,
      });
      expect(rows[1].ttfb_ms).toEqual(expect.any(Number));
    } finally {
      db.close();
    }
  });
});
