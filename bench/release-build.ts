import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');

/**
 * Another commit of the proxy, built into `<workDir>/release`: its tree from `git archive` (the
 * repository's worktrees and index are left alone), this checkout's node_modules, its own
 * `tsconfig.build.json`. Returns the folder and the commit's short hash.
 */
export function buildRelease(ref: string, workDir: string): { dir: string; commit: string } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const commit = git('rev-parse', '--short', `${ref}^{commit}`).trim();
  const dir = path.join(workDir, 'release');
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git archive "$0" | tar -x -C "$1"', commit, dir], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(
    process.execPath,
    [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { dir, commit };
}
