/**
 * The compose "scale" profile as README "Running several replicas" starts it: Redis, three replicas
 * of the image under test and nginx in front, on Compose's own network. Redis and nginx are built
 * from Debian's packages (docker/compose.debian.yml: no Docker Hub here), and
 * compose.scale-test.yml points the replicas at the image and the fake Google. The checks: nginx
 * accepts its file, requests reach all three replicas, a stream keeps its events apart through
 * nginx, and a cooldown one replica learns is honoured by the others. `down -v` always ends it.
 */
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import type { FakeGoogle } from '../fake-google/fake-google';
import { rateLimited } from '../fake-google/google-errors';
import { CheckReport, seconds } from './check-report';
import { freePort, waitUntil } from './containers';
import { type CommandResult, dockerOk, inspect, runCommand } from './docker-cli';
import { nativeRequest } from './model-requests';

const COMPOSE_FILES = [
  'docker-compose.yml',
  'docker/compose.debian.yml',
  'test/container/compose.scale-test.yml',
];
const REPLICAS = ['replica-1', 'replica-2', 'replica-3'];
const MODEL = 'gemini-2.5-flash';
/** Two keys told apart on /admin by their last five characters (`key...AAAAA`). */
const KEYS = ['AIzaFakeScaleKeyOne000000000000000AAAAA', 'AIzaFakeScaleKeyTwo000000000000000BBBBB'];
const adminId = (key: string) => `key...${key.slice(-5)}`;
const COOLDOWN_S = 300;
const STREAM = { events: 5, intervalMs: 400 };
const APP_UID = 1000;

export interface ScaleSettings {
  root: string;
  /** The proxy image the replicas run (the one the container test built). */
  image: string;
  /** A local Debian bookworm image to build Redis and nginx on. */
  baseImage: string;
  workDir: string;
  password: string;
}

interface AdminView {
  replica: { id: string; sharedState: string };
  credentials: { id: string; state: string; cooldowns: { remainingSeconds: number }[] }[];
}

/** One run of the profile under a project name of its own; `down()` is safe to call twice. */
export class ScaleProfile {
  private readonly project = `gpscale${process.pid}x${Date.now().toString(36)}`;
  private readonly env: Record<string, string> = {};
  private relay: Relay | undefined;
  private started = false;
  private lbUrl = '';

  constructor(
    private readonly settings: ScaleSettings,
    private readonly fake: FakeGoogle,
  ) {}

  async run(report: CheckReport): Promise<void> {
    await this.prepare();
    const built = await report.check(
      "the scale profile's Redis, PostgreSQL and nginx images build from Debian packages",
      () => this.images(),
    );
    if (!built) return report.fail('the scale profile checks', 'skipped: no Redis or nginx image');
    const up = await report.check(
      'docker-compose --profile scale up starts Redis, PostgreSQL, three replicas and nginx',
      () => this.up(),
    );
    if (up) await this.checksOnTheStack(report);
    else report.fail('the scale profile checks', 'skipped: the profile did not start');
    await report.check('docker-compose down -v removes the whole stack', () => this.down());
  }

  private async checksOnTheStack(report: CheckReport): Promise<void> {
    await report.check(
      'nginx -t accepts docker/nginx-scale.conf in the built image, unbuffered with long timeouts',
      () => this.nginxSyntax(),
    );
    const spread = await report.check(
      'requests through nginx reach all three replicas, each sharing through Redis',
      () => this.allReplicasAnswer(),
    );
    if (!spread) return report.fail('the scale profile checks', 'skipped: not every replica is up');
    await report.check('a stream through nginx arrives event by event, not buffered', () =>
      this.streamThroughNginx(),
    );
    const shared = await report.check(
      'a cooldown learned through replica-1 shows on replica-2 and replica-3',
      () => this.cooldownShared(),
    );
    if (!shared) return;
    await report.check('requests through nginx then avoid the cooling key on every replica', () =>
      this.cooldownHonoured(),
    );
  }

  /**
   * Stops and removes every container, network and volume of the project, then the relay. A
   * `down` that failed is tried again by the next call (the run's clean-up).
   */
  async down(): Promise<string> {
    try {
      if (!this.started) return 'nothing was started';
      const started = Date.now();
      await this.composeOk(['down', '-v', '--remove-orphans', '--timeout', '10'], 120_000);
      this.started = false;
      const label = `label=com.docker.compose.project=${this.project}`;
      const left = await dockerOk(['ps', '-aq', '--filter', label], 15_000);
      if (left) throw new Error(`containers left: ${left.split('\n').join(' ')}`);
      return `project ${this.project} gone in ${seconds(Date.now() - started)}`;
    } finally {
      await this.relay?.close();
      this.relay = undefined;
    }
  }

  async printLogs(): Promise<void> {
    if (!this.started) return;
    const logs = await this.compose(['logs', '--no-color', '--tail', '20'], 30_000);
    // eslint-disable-next-line no-control-regex -- Nest colours its console lines
    const plain = `${logs.stdout}${logs.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const lines = plain.trimEnd().replace(/^/gm, '    | ');
    console.log(`  last log lines of the scale profile:\n${lines}`);
  }

  /** Redis, PostgreSQL and nginx images tagged by their Dockerfile and base image: built once, then reused. */
  private async images(): Promise<string> {
    const base = await inspect(this.settings.baseImage, '{{.Id}}');
    const tag = (name: string) => {
      const file = path.join(this.settings.root, 'docker', `${name}.Dockerfile`);
      const hash = createHash('sha256').update(readFileSync(file)).update(base);
      // PostgreSQL's image also copies its entrypoint script: a change to it is a new image.
      const entrypoint = path.join(this.settings.root, 'docker', `${name}-entrypoint.sh`);
      if (existsSync(entrypoint)) hash.update(readFileSync(entrypoint));
      return `gemini-proxy-${name}:ci-${hash.digest('hex').slice(0, 12)}`;
    };
    this.env.REDIS_IMAGE = tag('redis');
    this.env.NGINX_IMAGE = tag('nginx');
    this.env.POSTGRES_IMAGE = tag('postgres');
    this.env.DEBIAN_BASE_IMAGE = this.settings.baseImage;
    const images = {
      redis: this.env.REDIS_IMAGE,
      postgres: this.env.POSTGRES_IMAGE,
      lb: this.env.NGINX_IMAGE,
    };
    const missing: string[] = [];
    for (const [service, image] of Object.entries(images)) {
      const present = await runCommand('docker', ['image', 'inspect', image], 15_000);
      if (present.code !== 0) missing.push(service);
    }
    const names = Object.values(images).join(', ');
    if (missing.length === 0) return `cached: ${names}`;
    const started = Date.now();
    await this.composeOk(['build', ...missing], 10 * 60_000);
    return `built ${missing.join(' and ')} in ${seconds(Date.now() - started)}: ${names}`;
  }

  /** The relay to the fake Google, the env file, nginx's host port and the shared folder. */
  private async prepare(): Promise<void> {
    for (const key of KEYS) this.fake.addApiKey(key);
    this.relay = await Relay.start(Number(new URL(this.fake.url).port));
    const fakeInside = `http://host.docker.internal:${this.relay.port}`;
    const googleEnv = Object.entries(this.fake.env()).map(
      ([name, value]) => `${name}=${value.replace(this.fake.url, fakeInside)}`,
    );
    const envFile = path.join(this.settings.workDir, 'scale.env');
    const envLines = [
      `GEMINI_AUTH_PASSWORD=${this.settings.password}`,
      `GEMINI_API_KEYS=${KEYS.join(',')}`,
      'SHUTDOWN_GRACE_MS=3000',
      ...googleEnv,
    ];
    writeFileSync(envFile, `${envLines.join('\n')}\n`, { mode: 0o600 });
    const port = await freePort();
    this.lbUrl = `http://127.0.0.1:${port}`;
    this.env.ENV_FILE = envFile;
    this.env.SCALE_PORT = String(port);
    this.env.SCALE_TEST_PROXY_IMAGE = this.settings.image;
    this.env.SCALE_TEST_CREDENTIALS = sharedFolder(this.settings.workDir);
  }

  private async up(): Promise<string> {
    this.started = true;
    const started = Date.now();
    await this.composeOk(['up', '-d', '--no-build', 'lb'], 180_000);
    const took = seconds(Date.now() - started);
    const running = await this.composeOk(
      ['ps', '--services', '--filter', 'status=running'],
      30_000,
    );
    const services = running.split('\n').filter(Boolean).sort();
    const expected = ['lb', 'postgres', 'redis', ...REPLICAS].sort();
    if (services.join() !== expected.join()) {
      throw new Error(
        `running: ${services.join(', ') || 'nothing'}; expected ${expected.join(', ')}`,
      );
    }
    return `${services.join(', ')} running after ${took}; nginx on ${this.lbUrl}`;
  }

  /**
   * `nginx -t` in the built image, with the file as mounted; `nginx -T` then shows the settings
   * streams need (the app's own `X-Accel-Buffering: no` also turns buffering off, per response).
   */
  private async nginxSyntax(): Promise<string> {
    const result = await this.compose(['exec', '-T', 'lb', 'nginx', '-t'], 30_000);
    const output = `${result.stdout}${result.stderr}`.trim();
    if (result.code !== 0 || !output.includes('test is successful')) throw new Error(output);
    const dump = await this.composeOk(['exec', '-T', 'lb', 'nginx', '-T'], 30_000);
    const missing = [
      /^\s*proxy_buffering off;/m,
      /^\s*proxy_read_timeout 3600s;/m,
      /^\s*proxy_http_version 1\.1;/m,
    ].filter((setting) => !setting.test(dump));
    if (missing.length > 0) throw new Error(`nginx -T lacks ${missing.join(', ')}`);
    const version = await this.compose(['exec', '-T', 'lb', 'nginx', '-v'], 30_000);
    const name = `${version.stdout}${version.stderr}`.trim().replace(/^nginx version: /, '');
    return `${name}: test is successful; proxy_buffering off, proxy_read_timeout 3600s`;
  }

  /** Round-robin through nginx: /admin/credentials names the replica that answered. */
  private allReplicasAnswer(): Promise<string> {
    const seen = new Map<string, string>();
    return waitUntil('all three replicas through nginx', 120_000, async () => {
      const view = await this.admin();
      seen.set(view.replica.id, view.replica.sharedState);
      const sharing = [...seen].filter(([, state]) => state === 'redis').map(([id]) => id);
      if (sharing.length < REPLICAS.length) {
        throw new Error(`seen ${[...seen].map(([id, state]) => `${id} (${state})`).join(', ')}`);
      }
      return `${sharing.sort().join(', ')} answered /admin, each with sharedState "redis"`;
    });
  }

  /** The fake sends its events 400 ms apart; through nginx they must still arrive apart. */
  private async streamThroughNginx(): Promise<string> {
    this.fake.reset();
    this.fake.failNext({ kind: 'slowStream', ...STREAM });
    const sent = Date.now();
    const res = await fetch(`${this.lbUrl}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': this.settings.password },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'stream please' }] }] }),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 200 || !res.body) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) throw new Error(`content-type "${type}"`);
    const arrivals: number[] = [];
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let pending = '';
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      pending += decoder.decode(read.value, { stream: true });
      const events = pending.split(/\r?\n\r?\n/);
      pending = events.pop() ?? '';
      for (const event of events) if (/^data:/m.test(event)) arrivals.push(Date.now() - sent);
    }
    const spread = arrivals.length > 1 ? arrivals[arrivals.length - 1] - arrivals[0] : 0;
    const sentOver = (STREAM.events - 1) * STREAM.intervalMs;
    const detail = `${arrivals.length} events at ${arrivals.map((ms) => seconds(ms)).join(', ')}`;
    if (arrivals.length < STREAM.events) throw new Error(`${detail}; expected ${STREAM.events}`);
    // Buffered, they would all arrive together at the end; apart, they keep the fake's pace.
    if (spread < sentOver * 0.75) {
      throw new Error(`${detail}: ${seconds(spread)} apart, sent over ${seconds(sentOver)}`);
    }
    return `${detail}, sent ${seconds(STREAM.intervalMs)} apart`;
  }

  /**
   * The fake refuses the first call with the first key with 429 and a 300 s retry delay. The
   * requests go to replica-1 itself (from inside its container), so only it meets the limit.
   */
  private async cooldownShared(): Promise<string> {
    this.fake.reset();
    this.fake.failNext(rateLimited(COOLDOWN_S), { credential: KEYS[0], times: 1 });
    const limited = () => this.fake.requests.some((r) => r.credential === KEYS[0] && !!r.model);
    const statuses: string[] = [];
    for (let i = 0; i < 4 && !limited(); i++) statuses.push(await this.requestInside('replica-1'));
    if (!limited()) throw new Error(`no call with the first key in ${statuses.length} requests`);
    if (statuses.some((s) => s !== '200')) throw new Error(`replica-1 answered ${statuses.join()}`);
    const id = adminId(KEYS[0]);
    const others = REPLICAS.slice(1);
    const cooling = new Map<string, number>();
    return waitUntil('the other replicas to show the cooldown', 15_000, async () => {
      const view = await this.admin();
      const entry = view.credentials.find((c) => c.id === id);
      if (entry?.state === 'cooling') {
        cooling.set(view.replica.id, Math.max(...entry.cooldowns.map((c) => c.remainingSeconds)));
      }
      if (!others.every((r) => cooling.has(r))) {
        throw new Error(`${id} cooling on: ${[...cooling.keys()].join(', ') || 'none yet'}`);
      }
      const shown = others.map((r) => `${r}: cooling, ${cooling.get(r)} s left`).join('; ');
      return `429 for ${id} met by replica-1 in ${statuses.length} request(s); ${shown}`;
    });
  }

  /** Six requests through nginx (two per replica, round-robin): none may use the cooling key. */
  private async cooldownHonoured(): Promise<string> {
    this.fake.reset();
    for (let i = 0; i < 6; i++)
      await nativeRequest(this.lbUrl, this.settings.password, `after ${i}`);
    const used = this.fake.requests.filter((r) => !!r.model).map((r) => r.credential);
    if (used.includes(KEYS[0])) throw new Error(`the cooling key was called: ${used.join(', ')}`);
    return `6 requests answered 200, all ${used.length} upstream calls with ${adminId(KEYS[1])}`;
  }

  /** A native request sent from inside a replica's container to itself; resolves to the status. */
  private requestInside(service: string): Promise<string> {
    const script = `fetch('http://127.0.0.1:7860/v1beta/models/${MODEL}:generateContent', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': process.env.GEMINI_AUTH_PASSWORD },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello replica' }] }] }),
    }).then((res) => console.log(res.status), (error) => { console.log(String(error)); process.exitCode = 1; })`;
    return this.composeOk(['exec', '-T', service, 'node', '-e', script], 60_000);
  }

  private async admin(): Promise<AdminView> {
    const res = await fetch(`${this.lbUrl}/admin/credentials`, {
      headers: { authorization: `Bearer ${this.settings.password}` },
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`/admin/credentials: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as AdminView;
  }

  private compose(args: string[], timeoutMs: number): Promise<CommandResult> {
    const { root } = this.settings;
    const files = COMPOSE_FILES.flatMap((file) => ['--file', path.join(root, file)]);
    const options = ['--project-name', this.project, '--project-directory', root, ...files];
    return runCommand('docker-compose', [...options, '--profile', 'scale', ...args], timeoutMs, {
      ...this.env,
    });
  }

  private async composeOk(args: string[], timeoutMs: number): Promise<string> {
    const result = await this.compose(args, timeoutMs);
    if (result.code !== 0) {
      const output = `${result.stdout}${result.stderr}`.trimEnd().split('\n').slice(-30);
      const why = result.timedOut ? `timed out after ${seconds(timeoutMs)}` : output.join('\n');
      throw new Error(`docker-compose ${args[0]} failed: ${why}`);
    }
    return result.stdout.trim();
  }
}

/**
 * The fake Google listens on the host's loopback, which containers on Compose's network cannot
 * reach. This relay listens on the default bridge's gateway address (what `host-gateway` names
 * inside the containers) and pipes every connection to the fake.
 */
class Relay {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(targetPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }

  static async start(targetPort: number): Promise<Relay> {
    const gateways = await inspect('bridge', '{{range .IPAM.Config}}{{.Gateway}} {{end}}');
    const relay = new Relay(targetPort);
    await new Promise<void>((resolve, reject) => {
      relay.server.once('error', reject);
      relay.server.listen(0, gateways.split(' ')[0] || '0.0.0.0', () => resolve());
    });
    return relay;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The replicas' shared credentials folder, owned by the image's user (uid 1000). */
function sharedFolder(workDir: string): string {
  const dir = path.join(workDir, 'scale-credentials');
  mkdirSync(dir, { mode: 0o700 });
  try {
    chownSync(dir, APP_UID, APP_UID);
  } catch {
    chmodSync(dir, 0o777); // not root here: let uid 1000 in all the same
  }
  return dir;
}
