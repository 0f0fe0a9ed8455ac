import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadResult } from './load';
import { percentile, round, Samples } from './stats';
import type { HttpRequestSpec } from './workload';

export interface PacedOptions {
  baseUrl: string;
  spec: HttpRequestSpec;
  /** Requests per second, evenly spaced (an open loop: a slow answer does not delay the next request). */
  rate: number;
  durationS: number;
  connections: number;
}

/**
 * Offers a fixed request rate and times every answer from the moment its request was handed to
 * the connection pool (so time spent waiting for a free connection counts). autocannon's own
 * rate option sends each connection's quota in a burst at the top of every second, which measures
 * queueing in the burst rather than the cost of the hop.
 */
export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const pool = new Pool(options.baseUrl, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies = new Samples();
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const interval = 1000 / options.rate;
  const inFlight: Promise<void>[] = [];
  const send = async () => {
    const started = performance.now();
    try {
      const res = await pool.request({
        path: options.spec.path,
        method: options.spec.method,
        headers: options.spec.headers,
        body: options.spec.body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        ok++;
        latencies.push(performance.now() - started);
      } else {
        non2xx++;
      }
    } catch {
      errors++;
    }
  };
  const start = performance.now();
  try {
    for (let i = 0; i < total; i++) {
      const due = start + i * interval;
      const ahead = due - performance.now();
      if (ahead > 1) await delay(ahead - 0.5);
      const request = send();
      inFlight.push(request);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  const durationS = (performance.now() - start) / 1000;
  const sorted = latencies.sorted();
  return {
    rps: round(ok / durationS, 0),
    ok,
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    errors,
    non2xx,
    durationS: round(durationS, 2),
  };
}
