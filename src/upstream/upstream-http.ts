import type { Readable } from 'node:stream';
import { Dispatcher, errors } from 'undici';
import { RouteOut } from '../route-out/route-out';
import { CallTimer } from './call-timer';
import { decodeSse } from './sse-decoder';
import { UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Still running while the body is read; whoever reads the body stops it. */
  timer: CallTimer;
}

export interface SendOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** A stream for upload bytes, relayed as they arrive and never held whole. */
  body?: string | Readable;
  signal: AbortSignal;
  timeoutMs: number;
  /** The credential's own outbound proxy; unset, the call takes HTTPS_PROXY/HTTP_PROXY or goes direct. */
  proxy?: string;
}

/**
 * The network boundary to Google: the pooled keep-alive dispatchers of the route out (direct,
 * HTTPS_PROXY, or the credential's own proxy), the client's abort signal, and one timer per call
 * (undici's own header and body timeouts are off, so that nothing else cuts a stream that keeps
 * producing).
 */
export class UpstreamHttp {
  constructor(private readonly routeOut: RouteOut = new RouteOut()) {}

  async send(options: SendOptions): Promise<UpstreamResponse> {
    const timer = new CallTimer(options.signal, options.timeoutMs);
    try {
      // The agent's own request() with the origin and path split here: undici's top-level
      // request(url) parses a WHATWG URL on every call (about 2 % of a request's CPU).
      const { origin, path } = splitUrl(options.url);
      const res = await this.routeOut.dispatcher(options.proxy).request({
        origin,
        path,
        method: options.method,
        headers: options.headers,
        body: options.body,
        signal: timer.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body, timer };
    } catch (error) {
      timer.stop();
      throw toNetworkError(error, options.signal, timer);
    }
  }

  /**
   * Sends and reads a whole JSON answer within UPSTREAM_TIMEOUT_MS, the whole call; a non-2xx
   * status becomes an UpstreamHttpError.
   */
  async json<T>(options: SendOptions): Promise<T> {
    const res = await this.send(options);
    const text = await readText(res, options.signal);
    if (res.status < 200 || res.status >= 300) throw httpError(res, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UpstreamNetworkError(
        'protocol',
        `Google sent a response that is not JSON (HTTP ${res.status})`,
      );
    }
  }

  /** Sends and reads a whole answer as Google's bytes (2xx only), within the whole-call limit. */
  async bytes(options: SendOptions): Promise<Buffer> {
    const res = await this.send(options);
    if (res.status < 200 || res.status >= 300) {
      throw httpError(res, await readText(res, options.signal));
    }
    try {
      return Buffer.from(await res.body.arrayBuffer());
    } catch (error) {
      throw toNetworkError(error, options.signal, res.timer);
    } finally {
      res.timer.stop();
    }
  }

  /**
   * Sends a streaming call and yields the data of each SSE event. UPSTREAM_TIMEOUT_MS bounds the
   * wait for the first event and each silence between events, not the stream's length. A refusal
   * (any status but 200) throws before anything is yielded, so the caller can still fail over.
   */
  async sse(options: SendOptions): Promise<AsyncGenerator<string>> {
    const res = await this.send(options);
    if (res.status !== 200) throw httpError(res, await readText(res, options.signal));
    return sseData(res, options.signal);
  }

  async close(): Promise<void> {
    await this.routeOut.close();
  }
}

/**
 * `https://host:port/path?query` as its origin and its path (with the query). The URLs are the
 * proxy's own, built from validated endpoints, so a string split is enough.
 */
export function splitUrl(url: string): { origin: string; path: string } {
  const scheme = url.indexOf('://');
  const slash = scheme === -1 ? -1 : url.indexOf('/', scheme + 3);
  if (slash === -1) {
    const query = url.indexOf('?', scheme + 3);
    return query === -1
      ? { origin: url, path: '/' }
      : { origin: url.slice(0, query), path: `/${url.slice(query)}` };
  }
  return { origin: url.slice(0, slash), path: url.slice(slash) };
}

async function* sseData(res: UpstreamResponse, signal: AbortSignal): AsyncGenerator<string> {
  const { timer } = res;
  try {
    for await (const data of decodeSse(res.body)) {
      timer.hold();
      yield data;
      timer.resume();
    }
  } catch (error) {
    throw toNetworkError(error, signal, timer);
  } finally {
    // Also on the consumer's early return: leaving the loop closes the body, which ends the call.
    timer.stop();
  }
}

/** Reads the whole body and stops the call's timer. */
export async function readText(
  res: UpstreamResponse,
  signal: Pick<AbortSignal, 'aborted'>,
): Promise<string> {
  try {
    return await res.body.text();
  } catch (error) {
    throw toNetworkError(error, signal, res.timer);
  } finally {
    res.timer.stop();
  }
}

export function httpError(res: UpstreamResponse, text: string): UpstreamHttpError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Proxies and load balancers in front of Google answer HTML or plain text; keep it as is.
  }
  const retryAfter = res.headers['retry-after'];
  return new UpstreamHttpError(
    res.status,
    body,
    Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
  );
}

export function toNetworkError(
  error: unknown,
  clientSignal: Pick<AbortSignal, 'aborted'>,
  timer?: CallTimer,
): Error {
  if (error instanceof UpstreamHttpError || error instanceof UpstreamNetworkError) return error;
  if (clientSignal.aborted)
    return new UpstreamNetworkError('aborted', 'The client closed the request');
  if (
    timer?.timedOut ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && error.name === 'TimeoutError')
  ) {
    return new UpstreamNetworkError('timeout', 'Google did not answer in time');
  }
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamNetworkError(
    'connection',
    `Could not reach Google${code ? ` (${code})` : ''}: ${message}`,
  );
}
