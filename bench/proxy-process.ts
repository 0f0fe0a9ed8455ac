import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import { Child, Children, cpuTimeMs } from './children';

const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');

/** V8's memory flags as production starts the proxy (docker/entrypoint.sh, npm run start:prod). */
export const PRODUCTION_NODE_ARGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/**
 * The V8 flags every proxy of the run (and the Nest floor) starts with. BENCH_NODE_ARGS="--max-semi-space-size=4"
 * replaces them ("" for V8's defaults).
 */
export function proxyNodeArgs(): string[] {
  return process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? PRODUCTION_NODE_ARGS;
}

/** `node --cpu-prof` into `dir` when the run profiles (`--profile`), the file named after the child. */
export function profileArgs(dir: string | undefined, name: string): string[] {
  if (!dir) return [];
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${path.resolve(dir)}`,
    `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
  ];
}

export const BENCH_PASSWORD = 'bench-password-0123456789';

export interface ProxyOptions {
  /** The fake's URL variables, GEMINI_API_KEYS, PERSISTENT_STORAGE_PATH … */
  env: Record<string, string>;
  workDir: string;
  /** Write a CPU profile into this folder when the proxy exits. */
  profileDir?: string;
  /** Another build's repository folder (its `dist/main.js`, run from there); this one by default. */
  buildDir?: string;
}

/** The proxy from its production build (`node dist/main.js`), as a child process. */
export class ProxyProcess {
  private constructor(
    readonly child: Child,
    readonly url: string,
    /** From spawn() to the first 200 from /health. */
    readonly startupMs: number,
    /** CPU the process used until then: start-up cost that other load on the host does not inflate. */
    readonly startupCpuMs: number,
    readonly health: { credentials?: number; usable?: number },
  ) {}

  get pid(): number {
    return this.child.pid;
  }

  static async start(
    children: Children,
    name: string,
    options: ProxyOptions,
  ): Promise<ProxyProcess> {
    const main = options.buildDir ? path.join(options.buildDir, 'dist', 'main.js') : MAIN;
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build`);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      GEMINI_AUTH_PASSWORD: BENCH_PASSWORD,
      CREDENTIALS_JSON_LIST: '',
      GEMINI_API_KEYS: '',
      DEBUG: 'false',
      SHUTDOWN_GRACE_MS: '2000',
      // Every load client connects from 127.0.0.1; the open-streams run alone holds 1,000.
      MAX_CONNECTIONS_PER_ADDRESS: '10000',
      ...options.env,
    };
    const nodeArgs = [...proxyNodeArgs(), ...profileArgs(options.profileDir, name)];
    const started = performance.now();
    const child = children.spawnNode(name, main, {
      nodeArgs,
      cwd: options.buildDir,
      env,
      logFile: path.join(options.workDir, `${name}.log`),
      graceMs: 8000,
    });
    const url = `http://127.0.0.1:${port}`;
    const health = await waitHealthy(child, url, 60_000);
    const startupMs = performance.now() - started;
    return new ProxyProcess(child, url, startupMs, cpuTimeMs(child.pid), health);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

/** Polls /health every 5 ms; the answer's own figures are returned. */
async function waitHealthy(child: Child, url: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!child.running) {
      throw new Error(`${child.name} exited before it was healthy:\n${child.logTail()}`);
    }
    try {
      const res = await request(`${url}/health`, { headersTimeout: 2000, bodyTimeout: 2000 });
      const text = await res.body.text();
      if (res.statusCode === 200)
        return JSON.parse(text) as { credentials?: number; usable?: number };
    } catch {
      // Not listening yet.
    }
    await delay(5);
  }
  throw new Error(`${child.name} was not healthy within ${timeoutMs} ms:\n${child.logTail()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
