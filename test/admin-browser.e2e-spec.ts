import { chromium, type Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './support/chromium';
import { permissionDenied, rateLimited } from './fake-google/google-errors';
import { generate, ManualClock, poolStatus, startPoolProxy } from './support/pool-harness';
import { RunningProxy, TEST_PASSWORD } from './support/proxy';

const FIX_URL = 'https://console.cloud.google.com/gemini-admin/licenses?project=proj-ada';
const KEY_OK = 'AIzaBrowserKeyOKOKOKOKOKOKOKOKOKOKOKokay1';
const KEY_LIMITED = 'AIzaBrowserKeyLIMITEDLIMITEDLIMITEDslow2';
const ADA = {
  email: 'ada@example.com',
  refreshToken: '1//rt-browser-ada-77777',
  projectId: 'proj-ada',
};

const describeInBrowser = describeWithChromium('the /admin browser test');

/** A common laptop window: the page must fit it without scrolling sideways. */
const VIEWPORT = { width: 1280, height: 800 };

describeInBrowser('the /admin page in a browser', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let browser: Browser;
  const clock = new ManualClock();

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addApiKey(KEY_OK);
    fake.addApiKey(KEY_LIMITED);
    fake.addOAuthAccount(ADA);
    const accounts = [
      { refresh_token: ADA.refreshToken, project_id: ADA.projectId, user_email: ADA.email },
    ];
    proxy = await startPoolProxy(
      {
        ...fake.env(),
        GEMINI_API_KEYS: `${KEY_OK},${KEY_LIMITED}`,
        CREDENTIALS_JSON_LIST: JSON.stringify(accounts),
      },
      { clock },
    );
    clock.freeze();
    // Some traffic, a rate limit on one key and a licence error on the account.
    for (let i = 0; i < 3; i++) await generate(proxy, `warm ${i}`);
    fake.failNext(rateLimited(90), { credential: KEY_LIMITED });
    fake.failNext(
      permissionDenied(
        'SUBSCRIPTION_REQUIRED',
        'Gemini Code Assist license required for ada@example.com.',
        [{ description: 'Assign a Gemini Code Assist licence', url: FIX_URL }],
      ),
      { credential: ADA.email },
    );
    for (let i = 0; i < 3; i++) await generate(proxy, `trouble ${i}`, 'gemini-2.5-pro');
    expect((await poolStatus(proxy)).summary).toEqual({ total: 3, ok: 1, cooling: 1, disabled: 1 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await fake?.close();
  });

  it('renders a cooling and a disabled credential, signs in with Basic auth, and re-enables from the page', async () => {
    const context = await browser.newContext({
      viewport: VIEWPORT,
      httpCredentials: { username: 'admin', password: TEST_PASSWORD },
    });
    const requested: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    try {
      const page = await context.newPage();
      const response = await page.goto(`${proxy.url}/admin`);
      expect(response?.status()).toBe(200);

      await expect(page.locator('h1').innerText()).resolves.toBe('Credential pool');
      const summary = await page.locator('.summary').innerText();
      expect(summary).toMatch(/3 credentials/);
      expect(summary).toMatch(/1 ok/);
      expect(summary).toMatch(/1 cooling/);
      expect(summary).toMatch(/1 disabled/);

      const limited = page.locator('tr', { hasText: 'api-key ...slow2' });
      const limitedText = await limited.innerText();
      expect(limitedText).toMatch(/cooling/);
      expect(limitedText).toMatch(/gemini-2\.5-pro\s+1 min 30 s left/);
      expect(limitedText).toMatch(/RATE_LIMIT_EXCEEDED/);
      expect(limitedText).toMatch(/429 RATE_LIMIT_EXCEEDED/);
      expect(limitedText).toMatch(/Clear cooldown/);

      const ada = page.locator('tr', { hasText: 'ada@example.com' });
      const adaText = await ada.innerText();
      expect(adaText).toMatch(/OAuth\s+Code Assist/);
      expect(adaText).toMatch(/proj-ada/);
      expect(adaText).toMatch(/disabled/);
      expect(adaText).toMatch(/SUBSCRIPTION_REQUIRED/);
      expect(adaText).toMatch(/license required for ada@example\.com/);
      const fix = ada.getByRole('link', { name: /How to fix/ });
      await expect(fix.getAttribute('href')).resolves.toBe(FIX_URL);
      await expect(fix.getAttribute('target')).resolves.toBe('_blank');

      const ok = page.locator('tr', { hasText: 'api-key ...okay1' });
      expect(await ok.innerText()).toMatch(/\bok\b/);
      await expect(ok.getByRole('button').count()).resolves.toBe(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin.png'), fullPage: true });

      // Every action button lies inside the 1280-px window, with nothing to scroll sideways to.
      const buttons = await page.locator('td.action button').all();
      expect(buttons).toHaveLength(2);
      for (const button of buttons) {
        const box = (await button.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
      }
      const widths = await page.evaluate(() => {
        const scroll = document.querySelector('.scroll')!;
        return {
          page: document.documentElement.scrollWidth,
          table: scroll.scrollWidth,
          frame: scroll.clientWidth,
        };
      });
      expect(widths.page).toBeLessThanOrEqual(VIEWPORT.width);
      expect(widths.table).toBeLessThanOrEqual(widths.frame);

      await ada.getByRole('button', { name: 'Re-enable' }).click();
      await page.waitForURL(/\/admin\?enabled=/);
      await expect(page.locator('.flash').innerText()).resolves.toMatch(
        /Re-enabled ada@example\.com\/proj-ada/,
      );
      expect(await page.locator('tr', { hasText: 'ada@example.com' }).innerText()).toMatch(
        /\bok\b/,
      );

      // No asset came from anywhere but the proxy.
      expect(requested.every((url) => url.startsWith(proxy.url))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('trades ?key= for a cookie, drops the password from the address and the page, and re-enables with it', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${proxy.url}/admin?key=${TEST_PASSWORD}`);
      expect(response?.status()).toBe(200);
      expect(page.url()).toBe(`${proxy.url}/admin`);
      expect(await page.content()).not.toContain(TEST_PASSWORD);
      const cookies = await context.cookies();
      expect(cookies).toEqual([
        expect.objectContaining({ path: '/admin', httpOnly: true, sameSite: 'Strict' }),
      ]);
      expect(cookies[0].value).not.toContain(TEST_PASSWORD);

      const limited = page.locator('tr', { hasText: 'api-key ...slow2' });
      await limited.getByRole('button', { name: 'Clear cooldown' }).click();
      await page.waitForURL(/\/admin\?enabled=/);
      await expect(page.locator('.flash').innerText()).resolves.toMatch(
        /Re-enabled key\.\.\.slow2/,
      );
      expect(page.url()).not.toContain(TEST_PASSWORD);
    } finally {
      await context.close();
    }
  });
});
