import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TEST_PASSWORD } from './proxy';
import { waitFor } from './wait';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `node dist/main.js` as deployed (dist/ is built by the jest global setup), on a free port. */
export class ProxyProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<Exit>;
  url = '';

  private constructor(
    readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    const collect = (stream: NodeJS.ReadableStream | null, into: string[]) => {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        into.push(...lines);
      });
    };
    collect(child.stdout, this.stdout);
    collect(child.stderr, this.stderr);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    void this.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  }

  static async start(env: Record<string, string>): Promise<ProxyProcess> {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-process-'));
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        GEMINI_AUTH_PASSWORD: TEST_PASSWORD,
        PERSISTENT_STORAGE_PATH: dir,
        ...env,
      },
    });
    const proc = new ProxyProcess(child, dir);
    await waitFor(
      () => proc.stdout.some((l) => /Listening on http:\/\/127\.0\.0\.1:\d+/.test(l)),
      15_000,
      'the proxy to listen',
    );
    const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(proc.stdout.join('\n'))![1];
    proc.url = `http://127.0.0.1:${port}`;
    return proc;
  }

  /** Everything the process wrote, without the colour codes Nest's text logger adds. */
  get output(): string {
    // eslint-disable-next-line no-control-regex
    return [...this.stdout, ...this.stderr].join('\n').replace(/\u001b\[[0-9;]*m/g, '');
  }

  /** Resident memory of the process in bytes (Linux /proc). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (!kb) throw new Error('no VmRSS line in /proc status');
    return Number(kb[1]) * 1024;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
