import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Not ts-node, which would load the `domain` module into every child (register-ts.js). */
const TS_NODE = ['-r', path.join(__dirname, 'register-ts.js')];

/**
 * Preloaded (`node -r`) into every child, the proxy included: when the benchmark dies without
 * cleaning up (SIGKILL, a crash), the IPC pipe closes and the child shuts itself down gracefully
 * instead of lingering on its port. The channel is unref'd so it never keeps a finished child
 * alive. Written to the run's temporary folder, as plain JavaScript, because the proxy runs
 * without ts-node.
 */
const EXIT_WITH_PARENT = `'use strict';
if (process.channel) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel.unref();
}
`;

export interface SpawnOptions {
  /** Node flags before the script (`--cpu-prof`, `-r ts-node/...`). */
  nodeArgs?: string[];
  env: NodeJS.ProcessEnv;
  /** Output goes to this file rather than a pipe, so a chatty child never costs the load generator. */
  logFile: string;
  /** Milliseconds between SIGTERM and SIGKILL on stop. */
  graceMs?: number;
  /** Working folder; the repository by default. */
  cwd?: string;
}

/** One process the benchmark started; `stop()` is idempotent and waits for the exit. */
export class Child {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stopping?: Promise<void>;

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly logFile: string,
    private readonly graceMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.terminate();
    return this.stopping;
  }

  /** The end of the child's log, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async terminate(): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const killer = setTimeout(() => this.process.kill('SIGKILL'), this.graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

/**
 * Every process the benchmark starts goes through here, so that one `stopAll()` (on success, error
 * or Ctrl-C) stops them all, newest first. Each child also gets an IPC channel and a preload that
 * shuts it down if the benchmark itself is killed outright.
 */
export class Children {
  private readonly all: { stop(): Promise<void> }[] = [];
  private readonly preload: string;

  constructor(workDir: string) {
    this.preload = path.join(workDir, 'exit-with-parent.js');
    writeFileSync(this.preload, EXIT_WITH_PARENT);
  }

  spawnNode(name: string, script: string, options: SpawnOptions): Child {
    const log = openSync(options.logFile, 'a');
    try {
      const proc = spawn(
        process.execPath,
        [...(options.nodeArgs ?? []), '-r', this.preload, script],
        {
          env: options.env,
          stdio: ['ignore', log, log, 'ipc'],
          cwd: options.cwd ?? path.resolve(__dirname, '..'),
        },
      );
      const child = new Child(name, proc, options.logFile, options.graceMs ?? 5000);
      // A child that exits on its own must not make the parent's IPC channel throw.
      proc.on('error', () => undefined);
      this.all.push(child);
      return child;
    } finally {
      closeSync(log);
    }
  }

  /** A program other than Node (redis-server), stopped with the rest. */
  spawnProgram(name: string, command: string, args: string[], options: SpawnOptions): Child {
    const log = openSync(options.logFile, 'a');
    try {
      const proc = spawn(command, args, { env: options.env, stdio: ['ignore', log, log] });
      const child = new Child(name, proc, options.logFile, options.graceMs ?? 5000);
      proc.on('error', () => undefined);
      this.all.push(child);
      return child;
    } finally {
      closeSync(log);
    }
  }

  /** A benchmark helper written in TypeScript (the fake Google, the pass-through). */
  spawnTs(name: string, script: string, options: SpawnOptions): Child {
    return this.spawnNode(name, path.join(__dirname, script), {
      ...options,
      nodeArgs: [...TS_NODE, ...(options.nodeArgs ?? [])],
    });
  }

  /** Something else to stop with the rest (a server that `stop()` shuts down its own way). */
  track(service: { stop(): Promise<void> }): void {
    this.all.push(service);
  }

  async stopAll(): Promise<void> {
    for (const child of [...this.all].reverse()) await child.stop();
  }
}

/** Waits for the child's first IPC message of type `ready`, or fails when it exits first. */
export function whenReady<T>(child: Child, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`${child.name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: { type?: string }) => {
      if (message?.type === 'ready') done(undefined, message as T);
    };
    const onExit = (code: number | null) =>
      done(new Error(`${child.name} exited (code ${code}) before it was ready`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.process.off('message', onMessage);
      child.process.off('exit', onExit);
      if (error) reject(new Error(`${error.message}\n${child.logTail()}`));
      else resolve(value as T);
    };
    child.process.on('message', onMessage);
    child.process.once('exit', onExit);
  });
}

/** Resident set size of a process, from the kernel's own accounting, in MB (10^6 bytes). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return (Number(match[1]) * 1024) / 1e6;
}

const CLOCK_TICKS_PER_S = 100; // USER_HZ; Linux reports /proc times in these on every architecture.

/**
 * CPU time (user + system) a process has used so far, in ms. Unlike throughput it hardly depends
 * on what else the machine is doing, so it shows a component's own cost on a busy host.
 */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * CPU time of a process and all its descendants so far, in ms: live ones from their own times,
 * exited ones from their parents' (cutime, cstime), so the sum only grows. For servers that work
 * in child processes (PostgreSQL's backends).
 */
export function treeCpuTimeMs(rootPid: number): number {
  const children = new Map<number, number[]>();
  const times = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    times.set(
      pid,
      [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0),
    );
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    ticks += times.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}
