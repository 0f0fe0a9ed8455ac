import { Agent } from 'undici';
import type { FakeGoogleProcess } from './fake-google-process';
import { readStream, StreamRun } from './sse-client';
import { percentile, round, sortedCopy } from './stats';
import type { HttpRequestSpec } from './workload';

export interface StreamTiming {
  streams: number;
  failed: number;
  /** Streams whose events could not be paired with the fake's writes (count mismatch). */
  unmatched: number;
  ttfbP50Ms: number;
  ttfbP99Ms: number;
  /** Latency of each event from the fake's `write` to its arrival at the client. */
  eventP50Ms: number;
  eventP99Ms: number;
  firstError?: string;
}

export interface StreamTimingOptions {
  baseUrl: string;
  /** The request for one stream; the marker must end up in the prompt the fake echoes. */
  spec(marker: string): HttpRequestSpec;
  count: number;
  concurrency: number;
  fake: FakeGoogleProcess;
  tag: string;
}

/**
 * Streams `count` answers, `concurrency` at a time, and times each against the fake's own record
 * of when it wrote every event (see fake-google-server.ts). Time to first byte is from sending the
 * request to the first body byte; the event delay pairs the client's n-th text event with the
 * fake's n-th write of the same stream, found by the marker the fake echoes back.
 */
export async function timeStreams(options: StreamTimingOptions): Promise<StreamTiming> {
  const dispatcher = new Agent({ connections: options.concurrency, keepAliveTimeout: 30_000 });
  const runs: { marker: string; run: StreamRun }[] = [];
  try {
    // Two untimed streams open the connections and warm the code paths.
    for (let i = 0; i < Math.min(2, options.count); i++) {
      await readStream(options.baseUrl, options.spec(`${options.tag}w${i}q`), dispatcher);
    }
    await options.fake.recordStreamWrites(true);
    let next = 0;
    const worker = async () => {
      while (next < options.count) {
        const marker = `${options.tag}s${next++}q`;
        runs.push({
          marker,
          run: await readStream(options.baseUrl, options.spec(marker), dispatcher),
        });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await dispatcher.close();
  }
  const writes = await options.fake.takeStreamWrites();
  await options.fake.recordStreamWrites(false);

  const ttfb: number[] = [];
  const delays: number[] = [];
  let failed = 0;
  let unmatched = 0;
  let firstError: string | undefined;
  for (const { marker, run } of runs) {
    if (run.error || run.firstByteAt === undefined) {
      failed++;
      firstError ??= run.error ?? 'no body';
      continue;
    }
    ttfb.push(run.firstByteAt - run.startedAt);
    const written = writes.find((w) => w.text.includes(marker));
    if (!written || written.stamps.length !== run.textArrivals.length) {
      unmatched++;
      continue;
    }
    run.textArrivals.forEach((at, i) => delays.push(at - written.stamps[i]));
  }
  const t = sortedCopy(ttfb);
  const d = sortedCopy(delays);
  return {
    streams: runs.length,
    failed,
    unmatched,
    ttfbP50Ms: round(percentile(t, 50), 3),
    ttfbP99Ms: round(percentile(t, 99), 3),
    eventP50Ms: round(percentile(d, 50), 3),
    eventP99Ms: round(percentile(d, 99), 3),
    firstError,
  };
}
