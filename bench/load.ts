import autocannon from 'autocannon';
import { request } from 'undici';
import { percentile, round, Samples } from './stats';
import type { HttpRequestSpec } from './workload';

export interface LoadResult {
  /** 2xx answers per second over the measured window. */
  rps: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  durationS: number;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  /** Either a time-bounded run … */
  durationS?: number;
  /** … or a fixed number of requests. */
  amount?: number;
  /** Requests each connection sends in turn (one spec: always the same request). */
  requests: HttpRequestSpec[];
}

/**
 * One bounded autocannon run. Latencies are taken from each response's own timing, not from
 * autocannon's histogram, which rounds to whole milliseconds: the targets are below that.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Samples();
  let ok = 0;
  return new Promise((resolve, reject) => {
    const [first] = options.requests;
    // autocannon merges options over its defaults, so an explicit `undefined` would erase one.
    const bounds =
      options.amount !== undefined
        ? { amount: options.amount }
        : { duration: options.durationS ?? 10 };
    const sequence = options.requests.length > 1 ? { requests: options.requests } : {};
    const instance = autocannon(
      {
        // The path goes in the URL: autocannon takes a top-level `path` from the URL only.
        url: `${options.baseUrl}${first.path}`,
        connections: options.connections,
        timeout: 30,
        method: first.method,
        headers: first.headers,
        body: first.body,
        skipAggregateResult: true,
        ...bounds,
        ...sequence,
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.sorted();
        const durationS = (result.finish.getTime() - result.start.getTime()) / 1000;
        resolve({
          rps: round(ok / durationS, 0),
          ok,
          p50Ms: round(percentile(sorted, 50), 3),
          p99Ms: round(percentile(sorted, 99), 3),
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
          durationS: round(durationS, 2),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) {
        ok++;
        latencies.push(ms);
      }
    });
  });
}

/**
 * One request before a load, so that a route that does not exist or fails says why instead of
 * producing a table of 404s. Returns undefined when the route answers 2xx.
 */
export async function probe(baseUrl: string, spec: HttpRequestSpec): Promise<string | undefined> {
  try {
    const res = await request(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) return undefined;
    return `HTTP ${res.statusCode}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
