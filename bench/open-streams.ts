import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { rssMB } from './children';
import { readStream } from './sse-client';
import { round } from './stats';
import type { HttpRequestSpec } from './workload';

export interface OpenStreamsResult {
  requested: number;
  /** Most streams that had started answering and not yet finished, at one instant. */
  peakOpen: number;
  /** Milliseconds from the first request until every stream had its first byte. */
  allOpenAfterMs?: number;
  completed: number;
  errors: number;
  firstError?: string;
  rssIdleMB: number;
  rssPeakMB: number;
}

export interface OpenStreamsOptions {
  baseUrl: string;
  spec: HttpRequestSpec;
  count: number;
  /** Text events each stream must deliver to count as complete. */
  expectedEvents: number;
  pid: number;
  deadlineMs: number;
}

/**
 * Opens `count` slow streams at once and holds them to the end, sampling the proxy's RSS every
 * 50 ms. A stream that fails, ends short, or is still running at the deadline is an error.
 */
export async function holdOpenStreams(options: OpenStreamsOptions): Promise<OpenStreamsResult> {
  const dispatcher = new Agent({
    connections: null,
    keepAliveTimeout: 10_000,
    connect: { timeout: 30_000 },
  });
  const rssIdleMB = rssMB(options.pid);
  let rssPeakMB = rssIdleMB;
  let open = 0;
  let peakOpen = 0;
  let firstBytes = 0;
  let allOpenAfterMs: number | undefined;
  const started = performance.now();
  const sampler = setInterval(() => {
    try {
      rssPeakMB = Math.max(rssPeakMB, rssMB(options.pid));
    } catch {
      // The proxy died; the streams will report it.
    }
  }, 50);
  const abort = new AbortController();
  // Every stream listens on the one deadline signal.
  setMaxListeners(options.count + 10, abort.signal);
  const deadline = setTimeout(() => abort.abort(), options.deadlineMs);
  try {
    const runs = await Promise.all(
      Array.from({ length: options.count }, () => {
        let answering = false;
        return readStream(options.baseUrl, options.spec, dispatcher, abort.signal, {
          onFirstByte: () => {
            answering = true;
            peakOpen = Math.max(peakOpen, ++open);
            if (++firstBytes === options.count) allOpenAfterMs = performance.now() - started;
          },
          onEnd: () => {
            if (answering) open--;
          },
        });
      }),
    );
    let errors = 0;
    let firstError: string | undefined;
    for (const run of runs) {
      const short = run.textArrivals.length < options.expectedEvents;
      if (run.error || short) {
        errors++;
        firstError ??=
          run.error ?? `ended after ${run.textArrivals.length} of ${options.expectedEvents} events`;
      }
    }
    return {
      requested: options.count,
      peakOpen,
      allOpenAfterMs: allOpenAfterMs === undefined ? undefined : round(allOpenAfterMs, 0),
      completed: runs.length - errors,
      errors,
      firstError,
      rssIdleMB: round(rssIdleMB, 1),
      rssPeakMB: round(rssPeakMB, 1),
    };
  } finally {
    clearInterval(sampler);
    clearTimeout(deadline);
    await dispatcher.destroy();
  }
}
