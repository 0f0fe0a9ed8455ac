#!/usr/bin/env node
// `npm test`, in two steps: first the unit project and the e2e project side by side, each in
// parallel workers, but for the e2e specs that time the proxy tightly; then those alone, in band.
// A step goes ahead when one before it failed, so one run shows every failure; the exit status is 0
// only when all three runs passed. Extra arguments (a path, -t name) go to every run.
//
// The e2e specs mostly wait (on sockets, child processes, timers): run in band, they kept one core of
// a 2-core box busy at most, and the unit run was no more than a gap before them. Each spec starts its
// own servers on free ports, with their own temporary folders, so they can share the box. The ones in
// IN_BAND assert how soon something happens within a margin that a loaded box could eat, or measure
// memory or event-loop stalls: they get the box to themselves.
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const JEST = require.resolve('jest/bin/jest');
const ROOT = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);
// A path filter may match the files of one run only.
const filterArgs = extra.length > 0 ? ['--passWithNoTests', ...extra] : [];
// Jest's default (cores − 1) is one worker on a 2-core box, which is a run in band.
const workers = `--maxWorkers=${Math.max(2, os.availableParallelism())}`;

/** test/<name>.e2e-spec.ts files that run in band, after the others, and why. */
const IN_BAND = [
  'headers-timeout', // Node's default headers timeout closes a trickling request within 2 s of it
  'shutdown', // grace periods timed on a spawned proxy (450 ms ≤ exit < 5 s; streams of 300 ms beats)
  'pre-auth-memory', // a spawned proxy's RSS peak under 24 concurrent gzip bombs
  'responses-store', // /health answers within 2.5 s while 1,000 references resolve
  'client-keys-replicas', // a key made or revoked on one replica bites on the other within 1 s
  'streams', // 100 ms heartbeats counted; a client's hang-up reaches Google within 1 s
];
const inBand = `/test/(${IN_BAND.join('|')})\\.e2e-spec\\.ts$`;

const running = new Set();

/**
 * Runs jest. `held`, its output is kept for `report()`: two jest runs cannot share a terminal (each
 * redraws its progress lines).
 */
function run(name, args, { env = {}, held = false } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [JEST, ...args, ...filterArgs], {
    cwd: ROOT,
    stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...(held && process.stderr.isTTY ? { FORCE_COLOR: '1' } : {}), ...env },
  });
  running.add(child);
  const output = [];
  if (held) {
    child.stdout.on('data', (chunk) => output.push([process.stdout, chunk]));
    child.stderr.on('data', (chunk) => output.push([process.stderr, chunk]));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      const report = () => output.forEach(([stream, chunk]) => stream.write(chunk));
      resolve({ name, code: code ?? 1, signal, seconds, report });
    });
  });
}

let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopped = true;
    for (const child of running) if (child.exitCode === null) child.kill(signal);
  });
}

async function main() {
  const results = await Promise.all([
    run('unit', ['--selectProjects', 'unit', workers], { held: true }),
    run('e2e', ['--selectProjects', 'e2e', workers, '--testPathIgnorePatterns', inBand]),
  ]);
  results[0].report();
  if (!stopped) {
    const alone = ['--selectProjects', 'e2e', '--runInBand', '--testPathIgnorePatterns'];
    // Unfiltered, the e2e run has just built dist/ (its global setup); filtered, it may have run nothing.
    const env = extra.length === 0 ? { SKIP_BUILD: '1' } : {};
    results.push(await run('e2e in band', [...alone, `^(?!.*${inBand})`], { env }));
  }
  process.stderr.write('\n');
  for (const r of results) {
    const outcome =
      r.code === 0 ? 'passed' : r.signal ? `stopped (${r.signal})` : `FAILED (exit ${r.code})`;
    process.stderr.write(
      `npm test: ${r.name.padEnd(11)} ${outcome} in ${r.seconds.toFixed(1)} s\n`,
    );
  }
  return !stopped && results.every((r) => r.code === 0) ? 0 : 1;
}

main().then((code) => process.exit(code));
