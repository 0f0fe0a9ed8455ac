/**
 * `npm run test:container`: builds the real image and runs it against the fake Google over the
 * host's network — health and Docker's HEALTHCHECK, one native and one OpenAI request served from
 * an API key and a mounted OAuth credential file, the generator mode, the non-root user, and a
 * clean `docker stop`; then the compose "scale" profile (scale-checks.ts): Redis, three replicas
 * and nginx. Without a Docker engine it says so and exits 0, unless CONTAINER_TEST_REQUIRE_ENGINE=1
 * (CI) makes that a failure. CONTAINER_TEST_IMAGE=name reuses an image instead of building
 * `gemini-proxy:test`; CONTAINER_TEST_ONLY=scale runs the scale profile's checks alone.
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
import { buildImage, imageMetadata, imageSizes } from './image-checks';
import { nativeRequest, openAiRequest } from './model-requests';
import { ScaleProfile } from './scale-checks';

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

const report = new CheckReport();
const containers = new Containers(IMAGE);
let fake: FakeGoogle | undefined;
let workDir: string | undefined;
let scale: ScaleProfile | undefined;

/** What every container of the run gets: the fake Google, the password, the credentials folder. */
interface Setup {
  env: Record<string, string>;
  credentialsDir: string;
}

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

  const build = !process.env.CONTAINER_TEST_IMAGE;
  if (build && !(await report.check('the image builds', () => buildImage(IMAGE, ROOT)))) return;
  await report.check('the image runs as node on port 7860 in production mode', () =>
    imageMetadata(IMAGE),
  );
  console.log(`image size: ${await imageSizes(IMAGE, BASE_IMAGE)}`);

  fake = await FakeGoogle.start();
  fake.addApiKey(API_KEY);
  fake.addOAuthAccount(ACCOUNT);
  workDir = mkdtempSync(path.join(tmpdir(), 'gemini-proxy-container-'));
  const setup: Setup = {
    env: { ...fake.env(), GEMINI_AUTH_PASSWORD: PASSWORD, SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    credentialsDir: credentialsFolder(workDir),
  };
  if (process.env.CONTAINER_TEST_ONLY !== 'scale') {
    await proxyChecks(setup);
    await proxyUnderInitChecks(setup);
    await generatorChecks(setup);
    fake.reset();
  }
  scale = new ScaleProfile(
    { root: ROOT, image: IMAGE, baseImage: BASE_IMAGE, workDir, password: PASSWORD },
    fake,
  );
  await scale.run(report);
}

/** The proxy as README's `docker run` starts it: the entrypoint's exec makes node PID 1. */
async function proxyChecks(setup: Setup): Promise<void> {
  const { name, base, up } = await startProxy('proxy', setup, []);
  if (!up) return report.fail('the remaining proxy checks', 'skipped: the proxy did not come up');
  await report.check("Docker's HEALTHCHECK reports healthy", () => becomesHealthy(name));
  await report.check('node is PID 1, so signals reach the app', async () => {
    const cmdline = (await dockerOk(['exec', name, 'cat', '/proc/1/cmdline'], 15_000)).split('\0');
    if (!cmdline[0]?.endsWith('node') || !cmdline.includes('/app/dist/main.js')) {
      throw new Error(`PID 1 is ${cmdline.join(' ')}`);
    }
    return cmdline.join(' ').trim();
  });
  await report.check('the app runs as a non-root user', async () => {
    const uid = await dockerOk(['exec', name, 'id', '-u'], 15_000);
    if (uid === '0') throw new Error('uid 0');
    return `uid ${uid}`;
  });
  await report.check('a native generateContent request succeeds', () =>
    nativeRequest(base, PASSWORD, 'hello native'),
  );
  await report.check('an OpenAI chat completion succeeds', () =>
    openAiRequest(base, PASSWORD, 'hello openai'),
  );
  await report.check('the mounted OAuth credential serves requests', () =>
    oauthAccountServed(base),
  );
  await report.check('its refreshed token is saved back to the mounted folder', () =>
    refreshedTokenSaved(setup.credentialsDir),
  );
  await report.check('docker stop ends the proxy cleanly within the grace period', () =>
    containers.stopCleanly(name, GRACE_MS),
  );
}

/** The proxy as docker-compose.yml starts it (init: true): docker-init is PID 1, node its child. */
async function proxyUnderInitChecks(setup: Setup): Promise<void> {
  const { name, up } = await startProxy('proxy-init', setup, ['--init']);
  if (!up) return;
  await report.check('docker stop ends the proxy cleanly under docker-init', () =>
    containers.stopCleanly(name, GRACE_MS),
  );
}

/** `--gen-creds` as the compose profile runs it (init: true). */
async function generatorChecks(setup: Setup): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const name = await containers.run(
    'gen-creds',
    [
      '--init',
      ...HEALTH_OPTIONS,
      ...envOptions({ ...setup.env, PORT: String(port), DOMAIN_NAME: base }),
      ...volumeOptions(setup),
    ],
    ['--gen-creds'],
  );
  const up = await report.check('--gen-creds serves the login page', () =>
    waitUntil('the login page', 90_000, async () => {
      await containers.assertRunning(name);
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(3000) });
      const html = await res.text();
      if (res.status !== 200 || !/<form[^>]*action="\/?login"/i.test(html)) {
        throw new Error(`HTTP ${res.status}: ${html.slice(0, 200)}`);
      }
      return `HTTP 200, ${html.length} bytes with the login form`;
    }),
  );
  if (!up) return;
  await report.check("the generator's HEALTHCHECK reports healthy", () => becomesHealthy(name));
  await report.check('docker stop ends the generator cleanly under docker-init', () =>
    containers.stopCleanly(name, GRACE_MS),
  );
}

/** Starts a proxy container with an API key and the mounted folder; `up` once /health shows both. */
async function startProxy(
  role: string,
  setup: Setup,
  options: string[],
): Promise<{ name: string; base: string; up: boolean }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const name = await containers.run(role, [
    ...options,
    ...HEALTH_OPTIONS,
    ...envOptions({ ...setup.env, PORT: String(port), GEMINI_API_KEYS: API_KEY }),
    ...volumeOptions(setup),
  ]);
  const label = options.includes('--init') ? ' (under docker-init)' : '';
  const up = await report.check(`/health answers ok with both credentials loaded${label}`, () =>
    waitUntil('/health with 2 credentials', 90_000, async () => {
      await containers.assertRunning(name);
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(3000) });
      const body = (await res.json()) as { status?: string; credentials?: number; usable?: number };
      if (res.status !== 200 || body.status !== 'ok' || body.credentials !== 2) {
        throw new Error(`HTTP ${res.status} ${JSON.stringify(body)}`);
      }
      return `${body.credentials} credentials, ${body.usable} usable`;
    }),
  );
  return { name, base, up };
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

function volumeOptions(setup: Setup): string[] {
  return ['--volume', `${setup.credentialsDir}:/data/credentials`];
}

function refreshedTokenSaved(credentialsDir: string): Promise<string> {
  return waitUntil('the refreshed token in the file', 10_000, async () => {
    const file = path.join(credentialsDir, CREDENTIAL_FILE);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { access_token?: string };
    const refreshed = saved.access_token && saved.access_token !== 'expired-access-token';
    return refreshed ? 'written by the container as uid 1000' : undefined;
  });
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

/** Round-robin over two credentials: a few requests must reach Code Assist with the file's account. */
async function oauthAccountServed(base: string): Promise<string> {
  const served = () =>
    fake!.requests.some(
      (r) => r.api === 'code-assist' && r.credential === ACCOUNT.email && !!r.model,
    );
  for (let i = 0; i < 3 && !served(); i++) await nativeRequest(base, PASSWORD, `hello again ${i}`);
  if (!served()) throw new Error(`no Code Assist call with ${ACCOUNT.email} after the requests`);
  return `Code Assist called as ${ACCOUNT.email}`;
}

async function cleanUp(): Promise<void> {
  if (!report.ok) await containers.printLogs().catch(() => undefined);
  await containers.removeAll().catch(() => undefined);
  if (!report.ok) await scale?.printLogs().catch(() => undefined);
  await scale
    ?.down()
    .catch((error: unknown) => console.log(`scale profile teardown: ${String(error)}`));
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
