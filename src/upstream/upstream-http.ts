import { Agent, Dispatcher, errors, request } from 'undici';
import { UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface SendOptions {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * The network boundary to Google: one pooled keep-alive undici agent for every upstream call,
 * with the client's abort signal and the whole-call time limit applied to each request.
 */
export class UpstreamHttp {
  private readonly agent = new Agent({
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    // No cap per origin: every open stream holds a connection, and a thousand streams must not queue.
    connections: null,
    connect: { timeout: 30_000 },
  });

  async send(options: SendOptions): Promise<UpstreamResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    try {
      const res = await request(options.url, {
        method: options.method,
        headers: options.headers,
        body: options.body,
        signal,
        dispatcher: this.agent,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (error) {
      throw toNetworkError(error, options.signal, timeout);
    }
  }

  /** Sends and reads a whole JSON answer; a non-2xx status becomes an UpstreamHttpError. */
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

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export async function readText(res: UpstreamResponse, signal: AbortSignal): Promise<string> {
  try {
    return await res.body.text();
  } catch (error) {
    throw toNetworkError(error, signal);
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
  clientSignal: AbortSignal,
  timeout?: AbortSignal,
): Error {
  if (error instanceof UpstreamHttpError || error instanceof UpstreamNetworkError) return error;
  if (clientSignal.aborted)
    return new UpstreamNetworkError('aborted', 'The client closed the request');
  if (
    timeout?.aborted ||
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
