import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { rateLimited } from './fake-google/google-errors';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './support/chromium';
import { post } from './support/dialects';
import { AUTH } from './support/pool-harness';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';
import { waitFor } from './support/wait';

const KEY_A = 'AIzaUsageConsoleKeyAAAAAAAAAAAAAAAAalpha';
const KEY_B = 'AIzaUsageConsoleKeyBBBBBBBBBBBBBBBBBbravo';
/** Set to write the console's screenshot into docs/images for the README and operations guide. */
const SCREENSHOT = path.join(__dirname, '..', 'docs', 'images', 'console-usage.png');

/** Four dialects answered, one answered after a 429 on the other key, one 429 for the client. */
const REQUESTS = 6;

const describeInBrowser = describeWithChromium('the /admin/usage browser test');

interface ReportRow {
  key: string;
  requests: number;
  errors: number;
  rate_limited: number;
  prompt_tokens: number;
  output_tokens: number;
  thought_tokens: number;
}

/** Google's answer with these counts, so that the ledger has known numbers to show. */
function answer(prompt: number, output: number, thoughts = 0) {
  return {
    response: {
      candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, index: 0 }],
      usageMetadata: {
        promptTokenCount: prompt,
        candidatesTokenCount: output,
        thoughtsTokenCount: thoughts,
      },
    },
  };
}

describeInBrowser('the /admin/usage console page in a browser', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let browser: Browser;

  const api = async (query: string) => {
    const res = await fetch(`${proxy.url}/admin/api/usage?${query}`, { headers: AUTH });
    expect(res.status).toBe(200);
    return (await res.json()) as { rows: ReportRow[] };
  };

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_A);
    fake.addApiKey(KEY_B);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: `${KEY_A},${KEY_B}` });
    // Three dialects, two models, and one 429 that the other key then serves.
    const sends: [string, Record<string, unknown>][] = [
      [
        '/v1/chat/completions',
        { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] },
      ],
      [
        '/v1/messages',
        { model: 'gemini-2.5-pro', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
      ],
      [
        '/v1beta/models/gemini-2.5-flash:generateContent',
        { contents: [{ parts: [{ text: 'hi' }] }] },
      ],
      ['/v1/responses', { model: 'gemini-2.5-pro', input: 'hi' }],
    ];
    let n = 0;
    for (const [route, body] of sends) {
      n++;
      fake.enqueue(answer(10 * n, 3 * n, n));
      expect((await post(proxy, route, body)).status).toBe(200);
    }
    // A 429 on one key that the other then serves: one request, answered.
    fake.failNext(rateLimited(60), { credential: KEY_A });
    fake.enqueue(answer(100, 50));
    expect(
      (await post(proxy, sends[0][0], { ...sends[0][1], model: 'gemini-2.5-pro' })).status,
    ).toBe(200);
    // Both keys limited: the client gets the 429, and the ledger counts it.
    fake.failNext(rateLimited(60), { credential: KEY_A });
    fake.failNext(rateLimited(60), { credential: KEY_B });
    expect((await post(proxy, sends[0][0], sends[0][1])).status).toBe(429);
    await waitFor(
      async () =>
        (await api('group=model')).rows.reduce((sum, r) => sum + r.requests, 0) === REQUESTS,
      10_000,
      'every request in the ledger',
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await fake?.close();
  });

  /** A signed-in page that fails the test on any request for another host than the proxy. */
  async function open(
    width: number,
    address: string,
  ): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      httpCredentials: { username: 'admin', password: TEST_PASSWORD },
      acceptDownloads: true,
    });
    const foreign: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      foreign.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A Content-Security-Policy refusal shows only here.
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const response = await page.goto(`${proxy.url}${address}`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('#chart-requests[data-rendered="true"]');
    expect(errors).toEqual([]);
    return { context, page, foreign };
  }

  /** Page width against the window: nothing to scroll sideways to. */
  const overflow = (page: Page) =>
    page.evaluate(() => ({
      scroll: document.scrollingElement!.scrollWidth,
      inner: window.innerWidth,
    }));

  it('draws requests, tokens and failures per credential with the numbers /admin/api/usage answers', async () => {
    const { context, page, foreign } = await open(1280, '/admin/usage');
    try {
      const query = new URL((await page.locator('a.csv').getAttribute('href'))!, proxy.url)
        .searchParams;
      expect(query.get('bucket')).toBe('hour');
      expect(query.get('group')).toBe('credential');
      expect(Date.parse(query.get('to')!) - Date.parse(query.get('from')!)).toBe(48 * 3_600_000);
      const report = await api(`from=${query.get('from')}&to=${query.get('to')}&group=credential`);
      const sum = (pick: (r: ReportRow) => number) => report.rows.reduce((s, r) => s + pick(r), 0);
      expect(sum((r) => r.requests)).toBe(REQUESTS);

      const drawn = await page.evaluate(() => {
        const charts = (
          window as unknown as {
            usageCharts: Record<
              string,
              {
                plot: { data: number[][]; series: { label: string }[] };
                chart: { series: { label: string; values: number[] }[]; total: number[] };
              }
            >;
          }
        ).usageCharts;
        const out: Record<
          string,
          {
            totals: number;
            labels: string[];
            perKey: Record<string, number>;
            lineTotal: number;
            canvases: number;
          }
        > = {};
        for (const [id, { plot, chart }] of Object.entries(charts)) {
          const line = plot.data[plot.data.length - 1];
          out[id] = {
            totals: chart.total.reduce((a, b) => a + b, 0),
            labels: plot.series.map((s) => s.label),
            perKey: Object.fromEntries(
              chart.series.map((s) => [s.label, s.values.reduce((a, b) => a + b, 0)]),
            ),
            lineTotal: line.reduce((a, b) => a + (b ?? 0), 0),
            canvases: document.querySelectorAll(`#chart-${id} canvas`).length,
          };
        }
        return out;
      });
      expect(drawn.requests.lineTotal).toBe(REQUESTS);
      expect(drawn.requests.totals).toBe(REQUESTS);
      expect(drawn.requests.canvases).toBe(1);
      expect(drawn.requests.labels).toEqual(
        expect.arrayContaining(['key...alpha', 'key...bravo', 'total']),
      );
      for (const row of report.rows) {
        expect(drawn.requests.perKey[row.key]).toBe(
          sum((r) => (r.key === row.key ? r.requests : 0)),
        );
      }
      const tokens = sum((r) => r.prompt_tokens + r.output_tokens + r.thought_tokens);
      expect(tokens).toBeGreaterThan(0);
      expect(drawn.tokens.lineTotal).toBe(tokens);
      expect(drawn.failures.perKey).toEqual({
        errors: sum((r) => r.errors),
        '429 rate limited': sum((r) => r.rate_limited),
      });
      expect(drawn.failures.perKey['429 rate limited']).toBe(1);

      // The table beside the charts says the same.
      const cell = (key: string, column: string) =>
        page.locator(`tr[data-key="${key}"] td.${column}`).innerText();
      await expect(cell('total', 'requests')).resolves.toBe(String(REQUESTS));
      await expect(cell('total', 'tokens')).resolves.toBe(String(tokens));
      await expect(cell('total', 'rate-limited')).resolves.toBe('1');

      // The canvas has pixels on it, not just an empty frame.
      const inked = await page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#chart-requests canvas')!;
        const pixels = canvas
          .getContext('2d')!
          .getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
      });
      expect(inked).toBeGreaterThan(100);

      expect(await overflow(page)).toEqual({ scroll: 1280, inner: 1280 });
      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin-usage.png'), fullPage: true });
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('downloads the range as CSV with one row per hour and credential', async () => {
    const { context, page, foreign } = await open(1280, '/admin/usage');
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a.csv').click(),
      ]);
      expect(download.suggestedFilename()).toBe('usage-hour-credential.csv');
      const file = path.join(ARTIFACTS, 'usage-download.csv');
      mkdirSync(ARTIFACTS, { recursive: true });
      await download.saveAs(file);
      const lines = (await import('node:fs')).readFileSync(file, 'utf8').trim().split('\r\n');
      expect(lines[0]).toBe(
        'start,key,requests,errors,rate_limited,prompt_tokens,output_tokens,thought_tokens,cached_tokens',
      );
      const rows = lines.slice(1).map((l) => l.split(','));
      expect(rows.map((r) => r[1]).sort()).toEqual([...new Set(rows.map((r) => r[1]))].sort());
      expect(rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(REQUESTS);
      expect(rows.reduce((s, r) => s + Number(r[4]), 0)).toBe(1);
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('stacks by model over 30 days, and a picked date range keeps the group', async () => {
    const { context, page } = await open(1280, '/admin/usage?range=30d&group=model');
    try {
      const labels = await page.evaluate(
        () =>
          (
            window as unknown as {
              usageCharts: { requests: { chart: { series: { label: string }[]; x: number[] } } };
            }
          ).usageCharts.requests.chart,
      );
      expect(labels.x).toHaveLength(30);
      expect(labels.series.map((s) => s.label).sort()).toEqual([
        'gemini-2.5-flash',
        'gemini-2.5-pro',
      ]);
      await expect(
        page.locator('tr[data-key="gemini-2.5-pro"] td.requests').innerText(),
      ).resolves.toBe('3');

      const today = new Date().toISOString().slice(0, 10);
      await page.fill('input[name=from]', today);
      await page.fill('input[name=to]', today);
      await Promise.all([
        page.waitForURL(/range=custom/),
        page.getByRole('button', { name: 'Show' }).click(),
      ]);
      await page.waitForSelector('#chart-requests[data-rendered="true"]');
      const url = new URL(page.url());
      expect(url.searchParams.get('group')).toBe('model');
      await expect(page.locator('.caption').innerText()).resolves.toMatch(/by hour, per model/);
      await expect(page.locator('tr[data-key="total"] td.requests').innerText()).resolves.toBe(
        String(REQUESTS),
      );
    } finally {
      await context.close();
    }
  });

  it('fits a 390-px phone without sideways scrolling, on the usage and the pool page', async () => {
    const { context, page, foreign } = await open(390, '/admin/usage');
    try {
      expect(await overflow(page)).toEqual({ scroll: 390, inner: 390 });
      await page.screenshot({
        path: path.join(ARTIFACTS, 'admin-usage-phone.png'),
        fullPage: true,
      });
      const chartWidth = await page
        .locator('#chart-requests canvas')
        .evaluate((c) => c.getBoundingClientRect().right);
      expect(chartWidth).toBeLessThanOrEqual(390);
      await page.getByRole('link', { name: 'Pool' }).click();
      await page.waitForURL(/\/admin$/);
      expect(await overflow(page)).toEqual({ scroll: 390, inner: 390 });
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('answers a malformed date with a 400 that names it', async () => {
    const res = await fetch(`${proxy.url}/admin/usage?from=yesterday`, { headers: AUTH });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/from must be a date/);
  });

  it('serves only its own assets, and only to the operator', async () => {
    const asset = (name: string, headers: Record<string, string> = AUTH) =>
      fetch(`${proxy.url}/admin/assets/${name}`, { headers });
    const uplot = await asset('uplot.min.js');
    expect(uplot.status).toBe(200);
    expect(uplot.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await asset('uplot.min.js', {})).status).toBe(401);
    expect((await asset('package.json')).status).toBe(404);
    expect((await asset('..%2F..%2Fpackage.json')).status).toBe(404);
  });
});
