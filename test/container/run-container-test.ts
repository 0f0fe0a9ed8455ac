/**
 * `npm run test:container`: builds the real image and runs it against the fake Google over the
 * host's network — health and Docker's HEALTHCHECK, one native and one OpenAI request served from
 * an API key and a mounted OAuth credential file, the generator mode, the non-root user, and a
 * clean `docker stop`. Without a Docker engine it says so and exits 0, unless
 * CONTAINER_TEST_REQUIRE_ENGINE=1 (CI) makes that a failure. CONTAINER_TEST_IMAGE=name reuses an
 * image instead of building `gemini-proxy:test`.
 */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeGoogle } from '../fake-google/fake-google';
import { CheckReport, seconds } from './check-report';
import { Containers, FatalProbeError, freePort, waitUntil } from './containers';
import { docker, dockerOk, inspect } from './docker-cli';

const ROOT = path.resolve(__dirname, '..', '..');
const IMAGE = process.env.CONTAINER_TEST_IMAGE || 'gemini-proxy:test';
const BASE_IMAGE = 'node:24-bookworm-slim';
const PASSWORD = 'container-test-password';
const API_KEY = 'AIzaFakeContainerKeyAAAAAAAAAAAAAAAAAAAA';
const ACCOUNT = {
  email: 'ada@example.com',
  refreshToken: 'rt-ada-container-01',
  projectId: 'proj-ada',
};
const CREDENTIAL_FILE = 'oauth_creds_ada_example_com_proj-ada.json';
const GRACE_MS = 10_000;
const APP_UID = 1000;
// The image checks every 30 s; the command under test is the image's own, only sooner.
const HEALTH_OPTIONS = ['--health-interval', '2s'];
const WHOLE_RUN_MS = 25 * 60_000;

interface GeminiReply {
  candidates?: { content?: { parts?: { text?: string }[] } }[];
}
interface OpenAiReply {
  choices?: { message?: { content?: string | null } }[];
}

const report = new CheckReport();
const containers = new Containers(IMAGE);
let fake: FakeGoogle | undefined;
let workDir: string | undefined;

async function main(): Promise<void> {
  const engine = await docker(['info', '--format', '{{.ServerVersion}}'], 20_000);
  if (engine.code !== 0) {
    if (process.env.CONTAINER_TEST_REQUIRE_ENGINE === '1') {
      report.fail('a Docker engine answers', engine.stderr.trim() || 'docker info failed');
      return;
    }
    console.log('No Docker engine: skipping the container test');
    process.exit(0);
  }
  console.log(`Docker engine ${engine.stdout.trim()}; image ${IMAGE}`);

  if (!process.env.CONTAINER_TEST_IMAGE && !(await report.check('the image builds', buildImage)))
    return;
  await report.check('the image runs as node on port 7860 in production mode', imageMetadata);
  console.log(`image size: ${await imageSizes()}`);

  fake = await FakeGoogle.start();
  fake.addApiKey(API_KEY);
  fake.addOAuthAccount(ACCOUNT);
  workDir = mkdtempSync(path.join(tmpdir(), 'gemini-proxy-container-'));
  const credentialsDir = credentialsFolder(workDir);
  const env = {
    ...fake.env(),
    GEMINI_AUTH_PASSWORD: PASSWORD,
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  };

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proxy = await containers.run('proxy', [
    ...HEALTH_OPTIONS,
    ...envOptions({ ...env, PORT: String(port), GEMINI_API_KEYS: API_KEY }),
    '--volume',
    `${credentialsDir}:/data/credentials`,
  ]);
  const up = await report.check('/health answers ok with both credentials loaded', () =>
    waitUntil('/health with 2 credentials', 90_000, async () => {
      await containers.assertRunning(proxy);
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(3000) });
      const body = (await res.json()) as { status?: string; credentials?: number; usable?: number };
      if (res.status !== 200 || body.status !== 'ok' || body.credentials !== 2) {
        throw new Error(`HTTP ${res.status} ${JSON.stringify(body)}`);
      }
      return `${body.credentials} credentials, ${body.usable} usable`;
    }),
  );
  if (up) {
    await report.check("Docker's HEALTHCHECK reports healthy", () => becomesHealthy(proxy));
    await report.check('node is PID 1, so signals reach the app', async () => {
      const cmdline = (await dockerOk(['exec', proxy, 'cat', '/proc/1/cmdline'], 15_000)).split(
        '\0',
      );
      if (!cmdline[0]?.endsWith('node') || !cmdline.includes('/app/dist/main.js')) {
        throw new Error(`PID 1 is ${cmdline.join(' ')}`);
      }
      return cmdline.join(' ').trim();
    });
    await report.check('the app runs as a non-root user', async () => {
      const uid = await dockerOk(['exec', proxy, 'id', '-u'], 15_000);
      if (uid === '0') throw new Error('uid 0');
      return `uid ${uid}`;
    });
    await report.check('a native generateContent request succeeds', () =>
      nativeRequest(base, 'hello native'),
    );
    await report.check('an OpenAI chat completion succeeds', () =>
      openAiRequest(base, 'hello openai'),
    );
    await report.check('the mounted OAuth credential serves requests', () =>
      oauthAccountServed(base),
    );
    await report.check('its refreshed token is saved back to the mounted folder', () =>
      waitUntil('the refreshed token in the file', 10_000, async () => {
        const saved = JSON.parse(
          readFileSync(path.join(credentialsDir, CREDENTIAL_FILE), 'utf8'),
        ) as {
          access_token?: string;
        };
        return saved.access_token && saved.access_token !== 'expired-access-token'
          ? 'written by the container'
          : undefined;
      }),
    );
    await report.check('docker stop ends the proxy cleanly within the grace period', () =>
      containers.stopCleanly(proxy, GRACE_MS),
    );
  } else {
    report.fail('the remaining proxy checks', 'skipped: the proxy did not come up');
  }

  const genPort = await freePort();
  const genBase = `http://127.0.0.1:${genPort}`;
  const generator = await containers.run(
    'gen-creds',
    [
      '--init', // as docker-compose.yml's init: true
      ...HEALTH_OPTIONS,
      ...envOptions({ ...env, PORT: String(genPort), DOMAIN_NAME: genBase }),
      '--volume',
      `${credentialsDir}:/data/credentials`,
    ],
    ['--gen-creds'],
  );
  const pageUp = await report.check('--gen-creds serves the login page', () =>
    waitUntil('the login page', 90_000, async () => {
      await containers.assertRunning(generator);
      const res = await fetch(`${genBase}/`, { signal: AbortSignal.timeout(3000) });
      const html = await res.text();
      if (res.status !== 200 || !/<form[^>]*action="\/?login"/i.test(html)) {
        throw new Error(`HTTP ${res.status}: ${html.slice(0, 200)}`);
      }
      return `HTTP 200, ${html.length} bytes with the login form`;
    }),
  );
  if (pageUp) {
    await report.check("the generator's HEALTHCHECK reports healthy", () =>
      becomesHealthy(generator),
    );
    await report.check('docker stop ends the generator cleanly under docker-init', () =>
      containers.stopCleanly(generator, GRACE_MS),
    );
  }
}

async function buildImage(): Promise<string> {
  const started = Date.now();
  const build = await docker(['build', '--network', 'host', '--tag', IMAGE, ROOT], 20 * 60_000);
  if (build.code !== 0) {
    const tail = `${build.stdout}${build.stderr}`.trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(`${build.timedOut ? 'timed out' : `exit ${build.code}`}\n${tail}`);
  }
  return `docker build --network host -t ${IMAGE} . in ${seconds(Date.now() - started)}`;
}

async function imageMetadata(): Promise<string> {
  const meta = await inspect(IMAGE, '{{json .Config}}');
  const config = JSON.parse(meta) as {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, unknown>;
    Healthcheck?: { Test?: string[] };
    Volumes?: Record<string, unknown>;
  };
  const problems = [
    config.User === 'node' ? '' : `user is "${config.User}"`,
    config.Env?.includes('NODE_ENV=production') ? '' : 'NODE_ENV is not production',
    config.ExposedPorts?.['7860/tcp'] ? '' : '7860 is not exposed',
    config.Healthcheck?.Test?.includes('node') ? '' : 'no node HEALTHCHECK',
    config.Volumes?.['/data/credentials'] ? '' : 'no /data/credentials volume',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return 'user node, EXPOSE 7860, NODE_ENV=production, HEALTHCHECK, VOLUME /data/credentials';
}

async function imageSizes(): Promise<string> {
  const mb = (bytes: string) => Number(bytes) / 1e6;
  const size = mb(await inspect(IMAGE, '{{.Size}}'));
  const baseSize = await inspect(BASE_IMAGE, '{{.Size}}').then(mb, () => undefined);
  const layers =
    baseSize === undefined
      ? ''
      : `; the app's layers add ${(size - baseSize).toFixed(1)} MB to ${BASE_IMAGE} (${baseSize.toFixed(1)} MB)`;
  return `${size.toFixed(1)} MB${layers}`;
}

function credentialsFolder(parent: string): string {
  const dir = path.join(parent, 'credentials');
  const file = path.join(dir, CREDENTIAL_FILE);
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(
    file,
    JSON.stringify({
      refresh_token: ACCOUNT.refreshToken,
      access_token: 'expired-access-token',
      expiry_date: Date.now() - 60_000,
      token_uri: 'https://oauth2.googleapis.com/token',
      project_id: ACCOUNT.projectId,
      user_email: ACCOUNT.email,
    }),
    { mode: 0o600 },
  );
  try {
    // The folder a user mounts must belong to the image's `node` user (README "Docker").
    chownSync(dir, APP_UID, APP_UID);
    chownSync(file, APP_UID, APP_UID);
  } catch {
    chmodSync(dir, 0o777); // not root here: let uid 1000 in all the same
    chmodSync(file, 0o666);
  }
  return dir;
}

function envOptions(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
}

function becomesHealthy(name: string): Promise<string> {
  return waitUntil('health status "healthy"', 60_000, async () => {
    const status = await inspect(name, '{{if .State.Health}}{{.State.Health.Status}}{{end}}');
    if (status === 'unhealthy') throw new FatalProbeError('health status "unhealthy"');
    if (status !== 'healthy') throw new Error(`health status "${status}"`);
    return 'healthy';
  });
}

async function nativeRequest(base: string, prompt: string): Promise<string> {
  const res = await fetch(`${base}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': PASSWORD },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as GeminiReply;
  const text = body.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
  if (res.status !== 200 || !text.includes(prompt)) {
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return `"${text}"`;
}

async function openAiRequest(base: string, prompt: string): Promise<string> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PASSWORD}` },
    body: JSON.stringify({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: prompt }],
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let content = '';
  try {
    content = (JSON.parse(text) as OpenAiReply).choices?.[0]?.message?.content ?? '';
  } catch {
    // not JSON: reported below with the raw text
  }
  if (res.status !== 200 || !content.includes(prompt)) {
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  return `"${content}"`;
}

/** Round-robin over two credentials: a few requests must reach Code Assist with the file's account. */
async function oauthAccountServed(base: string): Promise<string> {
  const served = () =>
    fake!.requests.some(
      (r) => r.api === 'code-assist' && r.credential === ACCOUNT.email && !!r.model,
    );
  for (let i = 0; i < 3 && !served(); i++) await nativeRequest(base, `hello again ${i}`);
  if (!served()) throw new Error(`no Code Assist call with ${ACCOUNT.email} after the requests`);
  return `Code Assist called as ${ACCOUNT.email}`;
}

async function cleanUp(): Promise<void> {
  if (!report.ok) await containers.printLogs().catch(() => undefined);
  await containers.removeAll().catch(() => undefined);
  await fake?.close().catch(() => undefined);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

let finishing = false;
async function finish(extraFailure?: string): Promise<void> {
  if (finishing) return;
  finishing = true;
  if (extraFailure) report.fail('the container test', extraFailure);
  await cleanUp();
  console.log(report.summary());
  process.exit(report.ok ? 0 : 1);
}

const watchdog = setTimeout(() => void finish(`exceeded ${seconds(WHOLE_RUN_MS)}`), WHOLE_RUN_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void finish(`interrupted by ${signal}`));
}
main()
  .then(() => finish())
  .catch((error: unknown) =>
    finish(error instanceof Error ? (error.stack ?? error.message) : String(error)),
  )
  .finally(() => clearTimeout(watchdog));
