import { execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { Child, Children, treeCpuTimeMs } from './children';
import { freePort } from './proxy-process';

const ROOT = '/usr/lib/postgresql';
const USER = 'bench';

/**
 * Why PostgreSQL cannot run here, or undefined when it can: Debian's binaries are not on PATH, and
 * as root the server must run as the `postgres` user (it refuses root).
 */
export function postgresMissing(): string | undefined {
  if (!postgresBin())
    return `no PostgreSQL binaries under ${ROOT}/*/bin (apt-get install postgresql)`;
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no postgres user to run PostgreSQL as';
    }
  }
  return undefined;
}

/**
 * A throw-away PostgreSQL cluster for one run, as test/support/postgres-server.ts starts one: its
 * own temporary folder (the run's is private to root), a free loopback port, the `postgres` user
 * when run as root, fsync off; its log goes with the run's other logs. Stopped with the run's other children (`pg_ctl stop -m fast`, so that the proxies'
 * pooled connections do not hold it up).
 */
export async function startPostgres(
  children: Children,
  workDir: string,
): Promise<{ url: string; cpuTimeMs: () => number }> {
  const bin = postgresBin();
  if (!bin) throw new Error(postgresMissing());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gemini-proxy-bench-postgres-'));
  const data = path.join(dir, 'data');
  if (isRoot()) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const command = (binary: string, args: string[]): [string, string[]] =>
    isRoot()
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, binary), ...args]]
      : [path.join(bin, binary), args];
  let server: Child | undefined;
  children.track({
    stop: async () => {
      if (server?.running) {
        try {
          execFileSync(...command('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']), {
            stdio: 'ignore',
          });
        } finally {
          await server.stop();
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  });
  execFileSync(
    ...command('initdb', ['-D', data, '-U', USER, '--auth', 'trust', '--no-sync', '-E', 'UTF8']),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await freePort();
  const [program, args] = command('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-h',
    '127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const logFile = path.join(workDir, 'postgres.log');
  // Not through spawnProgram, which stops with SIGTERM: a "smart" shutdown that waits for every
  // client to leave, and runuser, not postgres, would get the SIGKILL after it.
  const log = openSync(logFile, 'a');
  try {
    const proc = spawn(program, args, { stdio: ['ignore', log, log] });
    proc.on('error', () => undefined);
    server = new Child('postgres', proc, logFile, 10_000);
  } finally {
    closeSync(log);
  }
  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  await waitAnswering(server, url, 30_000);
  const root = server.pid;
  return { url, cpuTimeMs: () => treeCpuTimeMs(root) };
}

async function waitAnswering(server: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!server.running) throw new Error(`postgres exited:\n${server.logTail()}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch {
      await delay(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`postgres did not answer within ${timeoutMs} ms:\n${server.logTail()}`);
}

/** The newest installed version's binaries. */
function postgresBin(): string | undefined {
  if (!existsSync(ROOT)) return undefined;
  const newest = readdirSync(ROOT)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(ROOT, newest, 'bin') : undefined;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}
