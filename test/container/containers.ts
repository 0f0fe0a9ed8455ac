import { createServer } from 'node:net';
import { docker, dockerOk, inspect } from './docker-cli';
import { seconds } from './check-report';

/** Thrown by a probe when waiting longer cannot help (the container has exited). */
export class FatalProbeError extends Error {}

/** Containers this run started, so that every one of them is removed however the run ends. */
export class Containers {
  private readonly names: string[] = [];

  constructor(private readonly image: string) {}

  /** `docker run -d` with host networking; resolves to the container's name. */
  async run(role: string, options: string[], command: string[] = []): Promise<string> {
    const name = `gemini-proxy-test-${role}-${process.pid}-${Date.now().toString(36)}`;
    this.names.push(name);
    await dockerOk(
      ['run', '-d', '--name', name, '--network', 'host', ...options, this.image, ...command],
      60_000,
    );
    return name;
  }

  /** Fails fast with the container's last log lines when it is no longer running. */
  async assertRunning(name: string): Promise<void> {
    const state = await inspect(name, '{{.State.Status}} {{.State.ExitCode}}');
    if (!state.startsWith('running')) {
      throw new FatalProbeError(
        `the container is ${state.replace(' ', ', exit code ')}\n${await this.logs(name)}`,
      );
    }
  }

  async logs(name: string, lines = 40): Promise<string> {
    const result = await docker(['logs', '--tail', String(lines), name], 15_000);
    // eslint-disable-next-line no-control-regex -- Nest colours its console lines
    const plain = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    return plain.trimEnd().replace(/^/gm, '    | ');
  }

  /**
   * `docker stop` with `graceMs` plus a margin before Docker's SIGKILL; clean means the app exited
   * by itself with code 0 (143 would be death by SIGTERM, 137 the SIGKILL) within the grace period.
   */
  async stopCleanly(name: string, graceMs: number): Promise<string> {
    const started = Date.now();
    const timeoutSeconds = Math.ceil(graceMs / 1000) + 5;
    await dockerOk(['stop', '--time', String(timeoutSeconds), name], (timeoutSeconds + 20) * 1000);
    const took = Date.now() - started;
    const code = await inspect(name, '{{.State.ExitCode}}');
    if (code !== '0') {
      throw new Error(
        `exit code ${code} after ${seconds(took)}; expected 0 from the app's own SIGTERM handling`,
      );
    }
    if (took > graceMs) {
      throw new Error(
        `exit 0 but it took ${seconds(took)}, beyond the ${seconds(graceMs)} grace period`,
      );
    }
    return `exit code 0 after ${seconds(took)}`;
  }

  async printLogs(): Promise<void> {
    for (const name of this.names) {
      console.log(`  last log lines of ${name}:\n${await this.logs(name, 20)}`);
    }
  }

  async removeAll(): Promise<void> {
    const names = this.names.splice(0);
    if (names.length > 0) await docker(['rm', '-f', '-v', ...names], 60_000);
  }
}

/** A port nothing listens on now (the containers share the host's network). */
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

/** Polls `probe` every half second until it returns a value, or fails with its last error. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'never answered';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      if (error instanceof FatalProbeError) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} not within ${seconds(timeoutMs)}: ${last}`);
}
