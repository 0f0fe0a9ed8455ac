import OpenAI from 'openai';
import { chromium, type Browser } from 'playwright-core';
import { FakeGoogle } from './fake-google/fake-google';
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './support/chromium';
import { RunningProxy, startTestProxy, TEST_PASSWORD } from './support/proxy';

const ENV_KEY = 'AIzaBrowserEnvKey000000000000000000eeeee';
const ADDED_KEY = 'AIzaBrowserAddedKey0000000000000000ddddd';

const describeInBrowser = describeWithChromium('the client keys browser test');

describeInBrowser('the Keys and Credentials pages in a browser', () => {
  let fake: FakeGoogle;
  let proxy: RunningProxy;
  let browser: Browser;

  beforeAll(async () => {
    fake = await FakeGoogle.start({ record: false });
    fake.addApiKey(ENV_KEY);
    fake.addApiKey(ADDED_KEY);
    proxy = await startTestProxy({ ...fake.env(), GEMINI_API_KEYS: ENV_KEY });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await fake?.close();
  });

  it('creates a key, copies its secret, uses it, sees its usage and revokes it', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: TEST_PASSWORD },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${proxy.url}/admin/keys`);
      await page.fill('input[name=name]', 'browser-key');
      await page.locator('fieldset input[name=rpm]').first().fill('100');
      await page.click('text=Create key');
      const secret = await page.inputValue('#secret-value');
      expect(secret).toMatch(/^sk-gp-[0-9A-Za-z]{32,}$/);

      const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: secret, maxRetries: 0 });
      await openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
      });

      await page.goto(`${proxy.url}/admin/keys`);
      expect(await page.content()).not.toContain(secret);
      const row = page.locator('tr', { hasText: 'browser-key' });
      expect(await row.locator('.use-rpm').innerText()).toBe('1 / 100');
      expect(Number((await row.locator('.use-daily').innerText()).trim())).toBeGreaterThan(0);

      await row.locator('button[name=revoke]').click();
      await page.waitForURL(`${proxy.url}/admin/keys`);
      expect(
        await page.locator('tr', { hasText: 'browser-key' }).locator('.pill').innerText(),
      ).toBe('revoked');
      await expect(
        openai.chat.completions.create({
          model: 'gemini-2.5-flash',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ).rejects.toMatchObject({ status: 401 });

      await page.goto(`${proxy.url}/admin/audit`);
      const audit = await page.content();
      expect(audit).toContain('key.create');
      expect(audit).toContain('key.revoke');
      expect(audit).not.toContain(secret);
    } finally {
      await context.close();
    }
  });

  it('adds and removes an API key on the Credentials page', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: TEST_PASSWORD },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${proxy.url}/admin/pool-credentials`);
      await page.fill('input[name=key]', ADDED_KEY);
      await page.click('text=Add key');
      await page.waitForURL(`${proxy.url}/admin/pool-credentials`);
      const added = page.locator('tr', { hasText: 'ddddd' });
      expect(await added.innerText()).toContain('database');
      expect(await page.locator('tr', { hasText: 'eeeee' }).innerText()).toContain(
        'from the environment',
      );
      expect(await page.content()).not.toContain(ADDED_KEY);

      await added.locator('text=Remove').click();
      await page.waitForURL(`${proxy.url}/admin/pool-credentials`);
      expect(await page.locator('tr', { hasText: 'ddddd' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
