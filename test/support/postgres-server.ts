import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort } from './redis-server';
import { waitFor } from './wait';

/** Debian's binaries of the newest PostgreSQL installed (they are not on PATH). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new Error(`no PostgreSQL under ${root}: apt-get install postgresql`);
  return path.join(root, versions[0], 'bin');
}

const BIN = postgresBin();
const USER = 'proxy';

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary as the `postgres` user (the server refuses to run as root). */
function asPostgres(binary: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, binary), ...args], {
    stdio: 'ignore',
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Debian's PostgreSQL as a throw-away cluster in a temporary folder on a free loopback port, run as
 * the `postgres` user, with a password (so that tests can check it never leaks). Tests stop it
 * mid-load and start it again on the same data.
 */
export class PostgresServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    readonly password: string,
  ) {}

  static async start(): Promise<PostgresServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'postgres-'));
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    const password = `pg-secret-${Math.random().toString(36).slice(2, 12)}`;
    const pwfile = path.join(dir, 'pw');
    writeFileSync(pwfile, password, { mode: 0o600 });
    chownSync(pwfile, uid, gid);
    asPostgres('initdb', [
      '-D',
      path.join(dir, 'data'),
      '-U',
      USER,
      '--pwfile',
      pwfile,
      '--auth',
      'scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    const server = new PostgresServer(await freePort(), dir, password);
    await server.restart();
    return server;
  }

  get url(): string {
    return `postgres://${USER}:${this.password}@127.0.0.1:${this.port}/postgres`;
  }

  /** A new empty database on this server, and the URL that reaches it. */
  async createDatabase(name: string): Promise<string> {
    await this.query(`create database ${name}`);
    return this.url.replace(/\/postgres$/, `/${name}`);
  }

  /** Starts the server (again, after `stop`) on the same data and port. */
  async restart(): Promise<void> {
    this.child = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(BIN, 'postgres'),
        '-D',
        path.join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-k',
        this.dir,
        '-h',
        '127.0.0.1',
        '-c',
        'fsync=off',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => answers(this.url), 20_000, 'postgres to answer');
  }

  /** Stops at once, as a crash would (open connections are cut); the data stays for `restart`. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    asPostgres('pg_ctl', ['stop', '-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w']);
    await exited;
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one query on the server (for assertions on what the proxy wrote). */
  async query<T>(text: string): Promise<T[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }
}
