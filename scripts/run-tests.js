#!/usr/bin/env node
// `npm test`: the unit project in parallel workers, then the e2e project in band (its specs start
// real servers and time them). The e2e run goes ahead when unit specs fail, so one run shows every
// failure; the exit status is 0 only when both passed. Extra arguments (a path, -t name) go to
// both runs.
//
// The two runs are not overlapped: the e2e run uses little CPU, but on a busy 2-core box sharing it
// with the unit workers made the whole run slower (paired runs, docs/performance.md).
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const JEST = require.resolve('jest/bin/jest');
const ROOT = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);
// A path filter may match the files of one project only.
const filterArgs = extra.length > 0 ? ['--passWithNoTests', ...extra] : [];
// Jest's default (cores − 1) is one worker on a 2-core box, which is a run in band.
const unitWorkers = Math.max(2, os.availableParallelism());

let current;

function run(name, args) {
  const started = performance.now();
  current = spawn(process.execPath, [JEST, ...args, ...filterArgs], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    current.on('close', (code, signal) =>
      resolve({ name, code: code ?? 1, signal, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopped = true;
    if (current?.exitCode === null) current.kill(signal);
  });
}

async function main() {
  const results = [await run('unit', ['--selectProjects', 'unit', `--maxWorkers=${unitWorkers}`])];
  if (!stopped) results.push(await run('e2e', ['--selectProjects', 'e2e', '--runInBand']));
  process.stderr.write('\n');
  for (const r of results) {
    const outcome =
      r.code === 0 ? 'passed' : r.signal ? `stopped (${r.signal})` : `FAILED (exit ${r.code})`;
    process.stderr.write(`npm test: ${r.name.padEnd(4)} ${outcome} in ${r.seconds.toFixed(1)} s\n`);
  }
  return !stopped && results.every((r) => r.code === 0) ? 0 : 1;
}

main().then((code) => process.exit(code));
