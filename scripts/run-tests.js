#!/usr/bin/env node
// `npm test`: the unit project in parallel workers and the e2e project in band (its specs start
// real servers and time them), both at once. The e2e run mostly waits on sockets and timers, so
// the unit specs fit into its idle CPU. The unit output is shown live; the e2e output is held
// until the unit run ends and then streamed, so the log reads as two blocks. Extra arguments
// (a path, -t name) go to both runs. Exit status: 0 only when both runs passed.
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const JEST = require.resolve('jest/bin/jest');
const ROOT = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);
// A path filter may match files of one project only.
const filterArgs = extra.length > 0 ? ['--passWithNoTests', ...extra] : [];
const unitWorkers = Math.max(2, os.availableParallelism());

const children = [];

function run(name, args, sink) {
  const started = performance.now();
  const child = spawn(process.execPath, [JEST, ...args, ...filterArgs], {
    cwd: ROOT,
    env: {
      ...process.env,
      FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stderr.isTTY ? '1' : '0'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout.on('data', (chunk) => sink(process.stdout, chunk));
  child.stderr.on('data', (chunk) => sink(process.stderr, chunk));
  return new Promise((resolve) => {
    child.on('close', (code, signal) =>
      resolve({ name, code: code ?? 1, signal, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const live = (stream, chunk) => stream.write(chunk);
let held = [];
const holdUntilUnitEnds = (stream, chunk) => {
  if (held) held.push([stream, chunk]);
  else stream.write(chunk);
};

async function main() {
  const e2e = run('e2e', ['--selectProjects', 'e2e', '--runInBand'], holdUntilUnitEnds);
  const unit = await run('unit', ['--selectProjects', 'unit', `--maxWorkers=${unitWorkers}`], live);
  process.stderr.write('\n');
  for (const [stream, chunk] of held) stream.write(chunk);
  held = undefined;
  const results = [unit, await e2e];
  process.stderr.write('\n');
  for (const r of results) {
    const outcome =
      r.code === 0 ? 'passed' : r.signal ? `killed (${r.signal})` : `FAILED (exit ${r.code})`;
    process.stderr.write(`npm test: ${r.name.padEnd(4)} ${outcome} in ${r.seconds.toFixed(1)} s\n`);
  }
  return results.every((r) => r.code === 0) ? 0 : 1;
}

// Passed on, then the runner waits for both to stop what they started.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  });
}

main().then((code) => process.exit(code));
