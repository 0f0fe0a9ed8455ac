import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle } from './fake-google/fake-google';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './support/chromium';
import { freePort, RunningGenerator, startTestGenerator } from './generator/harness';

const PHONE = { width: 390, height: 844 };

const describeInBrowser = describeWithChromium('the generator browser tests');

/** A fresh headless Chromium profile that records every address it asks for. */
async function openBrowser(): Promise<{
  context: BrowserContext;
  requested: string[];
  close(): Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), 'gen-creds-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: PHONE,
    args: CHROMIUM_ARGS,
  });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  return {
    context,
    requested,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

/** Presses "Login with Google" and picks the account on the fake consent page. */
async function loginInBrowser(
  page: Page,
  gen: RunningGenerator,
  email: string,
  projectId?: string,
) {
  await page.goto(`${gen.url}/`);
  if (projectId) await page.fill('#project_id', projectId);
  await page.click('#login');
  await page.waitForSelector(`a[data-email="${email}"]`);
  await page.click(`a[data-email="${email}"]`);
}

function readCredential(gen: RunningGenerator, name: string) {
  const file = path.join(gen.credentialsDir, name);
  return {
    mode: statSync(file).mode & 0o777,
    content: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
  };
}

describeInBrowser('credential generator in headless Chromium', () => {
  jest.setTimeout(60_000);

  let fake: FakeGoogle;

  beforeAll(async () => {
    fake = await FakeGoogle.start();
    fake.addOAuthAccount({
      email: 'ada@example.com',
      refreshToken: '1//rt-ada',
      projectId: 'ada-proj',
    });
    fake.addOAuthAccount({
      email: 'ben@example.com',
      refreshToken: '1//rt-ben',
      projectId: 'ben-licensed',
      setup: { kind: 'standard-tier' },
    });
    fake.addOAuthAccount({
      email: 'kim@gmail.com',
      refreshToken: '1//rt-kim',
      setup: {
        kind: 'ineligible',
        reasonCode: 'UNSUPPORTED_CLIENT',
        reasonMessage:
          'Gemini Code Assist for individuals is no longer available in Gemini CLI. Please migrate to the Antigravity suite.',
      },
    });
  });

  afterAll(() => fake?.close());

  describe('when Google can send the browser back to DOMAIN_NAME', () => {
    let gen: RunningGenerator;
    let browser: Awaited<ReturnType<typeof openBrowser>>;

    beforeAll(async () => {
      const port = await freePort();
      gen = await startTestGenerator({
        fake,
        port,
        production: true,
        env: { DOMAIN_NAME: `http://127.0.0.1:${port}` },
      });
      browser = await openBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await gen?.close();
    });

    it('logs an account in, saves its file and shows the success page', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${gen.url}/`);
      await screenshot(page, 'generator-login.png');
      await loginInBrowser(page, gen, 'ada@example.com');
      await page.waitForURL(/\/oauth2callback\?/);

      await expect(page.locator('h1').textContent()).resolves.toBe('Account added');
      await expect(page.locator('#account').textContent()).resolves.toBe('ada@example.com');
      await expect(page.locator('#file').textContent()).resolves.toBe(
        'oauth_creds_ada_example_com_ada-proj.json',
      );
      await expect(page.locator('#count').textContent()).resolves.toContain(
        'holds 1 credential file.',
      );

      const saved = readCredential(gen, 'oauth_creds_ada_example_com_ada-proj.json');
      expect(saved.mode).toBe(0o600);
      expect(saved.content).toMatchObject({
        refresh_token: '1//rt-ada',
        project_id: 'ada-proj',
        user_email: 'ada@example.com',
        token_uri: fake.env().GOOGLE_OAUTH_TOKEN_URL,
        client_id: expect.stringContaining('.apps.googleusercontent.com'),
        client_secret: expect.any(String),
      });
      await screenshot(page, 'generator-success.png');
      await page.close();
    });

    it('adds a second account with a typed project from "Add another account"', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${gen.url}/`);
      await page.fill('#project_id', 'ben-licensed');
      await page.click('#login');
      await page.click('a[data-email="ben@example.com"]');
      await page.waitForURL(/\/oauth2callback\?/);
      await expect(page.locator('#project').textContent()).resolves.toBe('ben-licensed');
      await expect(page.locator('#count').textContent()).resolves.toContain(
        'holds 2 credential files.',
      );
      expect(readCredential(gen, 'oauth_creds_ben_example_com_ben-licensed.json').mode).toBe(0o600);
      await page.click('#again');
      await expect(page.locator('#login').textContent()).resolves.toBe('Login with Google');
      await page.close();
    });

    it('asks nothing of any server but the generator and Google', () => {
      const hosts = new Set(browser.requested.map((url) => new URL(url).host));
      expect([...hosts].every((host) => host.startsWith('127.0.0.1:'))).toBe(true);
    });
  });

  describe('when the browser cannot reach DOMAIN_NAME (a remote server)', () => {
    let gen: RunningGenerator;
    let browser: Awaited<ReturnType<typeof openBrowser>>;

    beforeAll(async () => {
      // Nobody listens on DOMAIN_NAME's port, as on a laptop whose localhost is not the server.
      const unreachable = await freePort();
      gen = await startTestGenerator({
        fake,
        production: true,
        env: { DOMAIN_NAME: `http://127.0.0.1:${unreachable}` },
      });
      browser = await openBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await gen?.close();
    });

    /** Logs in and returns the callback address the browser failed to open. */
    async function addressBrowserEndedAt(page: Page, email: string): Promise<string> {
      const failed = page.waitForEvent('requestfailed', (r) =>
        r.url().includes('/oauth2callback?'),
      );
      await loginInBrowser(page, gen, email);
      return (await failed).url();
    }

    it('completes the login from the address pasted into the form', async () => {
      const page = await browser.context.newPage();
      const address = await addressBrowserEndedAt(page, 'ada@example.com');
      expect(address).toMatch(/\/oauth2callback\?.*code=/);

      await page.goto(`${gen.url}/`);
      await page.fill('#callback_url', address);
      await screenshot(page, 'generator-paste.png');
      await page.click('#paste');
      await page.waitForURL(/\/paste-callback$/);
      await expect(page.locator('h1').textContent()).resolves.toBe('Account added');
      const saved = readCredential(gen, 'oauth_creds_ada_example_com_ada-proj.json');
      expect(saved.mode).toBe(0o600);
      expect(saved.content.refresh_token).toBe('1//rt-ada');
      await page.close();
    });

    it("shows an ineligible account's reason, Google's message and the ways out", async () => {
      const page = await browser.context.newPage();
      const address = await addressBrowserEndedAt(page, 'kim@gmail.com');
      await page.goto(`${gen.url}/`);
      await page.fill('#callback_url', address);
      await page.click('#paste');
      await page.waitForURL(/\/paste-callback$/);

      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Google does not let this account use Code Assist',
      );
      const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
      expect(text).toContain('kim@gmail.com');
      expect(text).toContain('UNSUPPORTED_CLIENT');
      expect(text).toContain(
        'Gemini Code Assist for individuals is no longer available in Gemini CLI.',
      );
      expect(text).toContain('GEMINI_API_KEYS');
      await expect(
        page.locator('a[href="https://aistudio.google.com/apikey"]').count(),
      ).resolves.toBe(1);
      expect(
        existsSync(gen.credentialsDir) ? readdirSync(gen.credentialsDir) : [],
      ).not.toContainEqual(expect.stringContaining('kim_'));
      await screenshot(page, 'generator-ineligible.png');
      await page.close();
    });
  });
});
