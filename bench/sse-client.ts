import { Agent, request } from 'undici';
import { monotonicMs } from './stats';
import { eventText, type HttpRequestSpec } from './workload';

export interface StreamRun {
  status: number;
  /** Monotonic ms when the request was sent, when the first body byte arrived, when it ended. */
  startedAt: number;
  firstByteAt?: number;
  endedAt?: number;
  /** Arrival of each event that carries text, in order (role-only, usage and [DONE] are skipped). */
  textArrivals: number[];
  error?: string;
}

export interface StreamHooks {
  onFirstByte?(): void;
  onEnd?(): void;
}

/**
 * Reads one SSE answer and stamps every event as its last byte arrives. Everything after the
 * request is sent is measured, so the decoding here is kept to string scanning.
 */
export async function readStream(
  baseUrl: string,
  spec: HttpRequestSpec,
  dispatcher: Agent,
  signal?: AbortSignal,
  hooks: StreamHooks = {},
): Promise<StreamRun> {
  const run: StreamRun = { status: 0, startedAt: monotonicMs(), textArrivals: [] };
  try {
    const res = await request(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      dispatcher,
      signal,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    run.status = res.statusCode;
    let buffer = '';
    for await (const chunk of res.body) {
      const at = monotonicMs();
      if (run.firstByteAt === undefined) {
        run.firstByteAt = at;
        hooks.onFirstByte?.();
      }
      buffer += (chunk as Buffer).toString('utf8').replace(/\r\n/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
          .join('\n');
        if (data && eventText(data) !== undefined) run.textArrivals.push(at);
      }
    }
    run.endedAt = monotonicMs();
    if (run.status !== 200) run.error = `HTTP ${run.status}`;
  } catch (error) {
    run.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } finally {
    hooks.onEnd?.();
  }
  return run;
}
