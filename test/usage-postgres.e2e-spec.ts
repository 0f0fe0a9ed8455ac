import { FakeGoogle } from './fake-google/fake-google';
import { AUTH, JSON_AUTH } from './support/pool-harness';
import { PostgresServer } from './support/postgres-server';
import { ProxyProcess } from './support/proxy-process';
import { RunningProxy, startTestProxy } from './support/proxy';
import { freePort } from './support/redis-server';
import { waitFor } from './support/wait';
import { USAGE_LEDGER_OPTIONS } from '../src/usage/usage-ledger';

const KEY = 'AIzaLedgerKey0000000000000000000000ccccc';
const MODEL = 'gemini-2.5-flash';

interface Sums {
  requests: number;
  prompt_tokens: number;
  output_tokens: number;
}

/** A native generateContent whose answer carries `prompt`/`output` tokens. */
async function generate(fake: FakeGoogle, url: string, prompt: number, output: number) {
  fake.enqueue({
    response: {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: {
        promptTokenCount: prompt,
        candidatesTokenCount: output,
        totalTokenCount: prompt + output,
      },
    },
  });
  const res = await fetch(`${url}/v1beta/models/${MODEL}:generateContent`, {
    method: 'POST',
    headers: JSON_AUTH,
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  });
  await res.text();
  return res.status;
}

async function sums(url: string): Promise<Sums> {
  const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const res = await fetch(`${url}/admin/api/usage?bucket=day&group=client&from=${from}`, {
    headers: AUTH,
  });
  const rows = ((await res.json()) as { rows: Sums[] }).rows;
  return rows.reduce(
    (s, r) => ({
      requests: s.requests + r.requests,
      prompt_tokens: s.prompt_tokens + r.prompt_tokens,
      output_tokens: s.output_tokens + r.output_tokens,
    }),
    { requests: 0, prompt_tokens: 0, output_tokens: 0 },
  );
}

async function expectSums(url: string, expected: Sums, timeoutMs = 15_000): Promise<void> {
  let last: Sums | undefined;
  await waitFor(
    async () => {
      last = await sums(url);
      return JSON.stringify(last) === JSON.stringify(expected);
    },
    timeoutMs,
    'the ledger totals',
  ).catch(() => expect(last).toEqual(expected));
}

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`, { headers: AUTH })).text();
}

async function adminPage(url: string): Promise<string> {
  return (await fetch(`${url}/admin`, { headers: { ...AUTH, accept: 'text/html' } })).text();
}

describe('usage ledger on PostgreSQL', () => {
  let fake: FakeGoogle;
  let postgres: PostgresServer;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    fake.addApiKey(KEY);
    postgres = await PostgresServer.start();
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await postgres?.destroy();
  });

  describe('two replicas', () => {
    let replicas: ProxyProcess[] = [];

    beforeAll(async () => {
      const url = await postgres.createDatabase('replicas');
      const env = { ...fake.env(), GEMINI_API_KEYS: KEY, DATABASE_URL: url };
      replicas = await Promise.all([ProxyProcess.start(env), ProxyProcess.start(env)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
    });

    it('share one ledger: each shows the requests both served', async () => {
      const expected = { requests: 0, prompt_tokens: 0, output_tokens: 0 };
      for (let i = 0; i < 10; i++) {
        expect(await generate(fake, replicas[i % 2].url, 10 + i, 1 + i)).toBe(200);
        expected.requests += 1;
        expected.prompt_tokens += 10 + i;
        expected.output_tokens += 1 + i;
      }
      await expectSums(replicas[0].url, expected);
      await expectSums(replicas[1].url, expected);
    });

    it('loses nothing within the buffer and fails no request while PostgreSQL is down', async () => {
      const [replica] = replicas;
      const before = await sums(replica.url);
      const expected = { ...before };
      const statuses: number[] = [];
      const send = async (i: number) => {
        statuses.push(await generate(fake, replica.url, 100 + i, 10 + i));
        expected.requests += 1;
        expected.prompt_tokens += 100 + i;
        expected.output_tokens += 10 + i;
      };
      // Load in flight on both sides of the stop: four clients, forty requests.
      let next = 0;
      let stopped: Promise<void> | undefined;
      const client = async () => {
        while (next < 40) {
          const i = next++;
          if (i === 10) stopped = postgres.stop();
          await send(i);
        }
      };
      await Promise.all([client(), client(), client(), client()]);
      await stopped;
      expect(statuses.filter((s) => s !== 200)).toEqual([]);

      await waitFor(
        async () =>
          /usage ledger: postgres .* is behind: [1-9]\d* rows? waiting/.test(
            await adminPage(replica.url),
          ),
        10_000,
        '/admin to say the ledger is behind',
      );
      expect(await scrape(replica.url)).toMatch(/^gemini_proxy_usage_rows_pending [1-9]/m);

      await postgres.restart();
      await expectSums(replica.url, expected, 30_000);
      expect(await scrape(replica.url)).toMatch(/^gemini_proxy_usage_rows_dropped_total 0$/m);
      await waitFor(
        async () => /usage ledger: postgres .*, up to date/.test(await adminPage(replica.url)),
        10_000,
        '/admin to say the ledger caught up',
      );
      // The driver's errors were logged and shown; the password never was.
      for (const r of replicas) expect(r.output).not.toContain(postgres.password);
      expect(replica.output).toMatch(/Usage rows not written/);
    }, 90_000);
  });

  describe('past the buffer', () => {
    let proxy: RunningProxy;
    const password = 'db-secret-never-shown-0123';

    beforeAll(async () => {
      const port = await freePort();
      proxy = await startTestProxy(
        {
          ...fake.env(),
          GEMINI_API_KEYS: KEY,
          // Nothing listens there: the database is down from the start.
          DATABASE_URL: `postgres://proxy:${password}@127.0.0.1:${port}/ledger`,
        },
        { overrides: [{ provide: USAGE_LEDGER_OPTIONS, useValue: { maxBufferedRows: 3 } }] },
      );
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('serves every request, keeps the bound and counts the dropped rows', async () => {
      for (let i = 0; i < 5; i++) expect(await generate(fake, proxy.url, 5, 5)).toBe(200);
      await waitFor(
        async () => /^gemini_proxy_usage_rows_dropped_total 2$/m.test(await scrape(proxy.url)),
        5_000,
        'two dropped rows',
      );
      const metrics = await scrape(proxy.url);
      expect(metrics).toMatch(/^gemini_proxy_usage_rows_pending 3$/m);
      const page = await adminPage(proxy.url);
      expect(page).toMatch(/is behind: 3 rows waiting; 2 rows dropped \(.+\)/);
      expect(page).toContain('postgres://proxy:***@127.0.0.1');
      expect(page + metrics).not.toContain(password);
    });

    it('answers the usage API with a clear error rather than hanging while the database is down', async () => {
      const res = await fetch(`${proxy.url}/admin/api/usage`, { headers: AUTH });
      expect(res.status).toBe(503);
      expect(await res.text()).not.toContain(password);
    });
  });
});
