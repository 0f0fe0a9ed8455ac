import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `docker ...args`, killed after `timeoutMs`; a non-zero exit is returned, not thrown. */
export function docker(args: string[], timeoutMs: number): Promise<CommandResult> {
  return runCommand('docker', args, timeoutMs);
}

/** Runs `command ...args` (with `env` added to this process's), killed after `timeoutMs`. */
export function runCommand(
  command: string,
  args: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + error.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Like `docker`, but resolves to trimmed stdout and throws with docker's own message on failure. */
export async function dockerOk(args: string[], timeoutMs: number): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.code !== 0) {
    const why = result.timedOut
      ? `timed out after ${timeoutMs / 1000} s`
      : result.stderr.trim() || `exit ${result.code}`;
    throw new Error(`docker ${args[0]} failed: ${why}`);
  }
  return result.stdout.trim();
}

/** One field of `docker inspect`, by Go template. */
export function inspect(target: string, template: string): Promise<string> {
  return dockerOk(['inspect', '--format', template, target], 15_000);
}
