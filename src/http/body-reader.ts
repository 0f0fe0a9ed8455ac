import type { IncomingMessage } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { ApiError } from '../errors/api-error';
import { BodyBudget } from './body-budget';

export interface BodyReadLimits {
  /** Largest body, counted after decompression (BODY_LIMIT). */
  limitBytes: number;
  /** A body that sends nothing for this long is refused with 408 (slowloris). */
  idleMs: number;
  /** A body that has not arrived whole after this long is refused with 408. */
  totalMs: number;
}

/** Seconds a client refused for want of body budget should wait: uploads in flight finish fast. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/** Whether the request carries a body at all (the rule body-parser used: a length or chunking). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && /^\s*\d+\s*$/.test(length);
}

/**
 * Reads a request body once its sender is known to hold the password: inflating gzip, deflate and
 * br as a stream and counting the inflated bytes against the limit as they come, so that a bomb
 * is refused 16 KB past the limit rather than after it has filled memory; holding the bytes in the
 * process-wide budget until `use` is done with them; and refusing a body that trickles. On any
 * refusal the request is paused and the caller's error answer closes the connection.
 */
export function readBody<T>(
  req: IncomingMessage,
  limits: BodyReadLimits,
  budget: BodyBudget,
  use: (raw: Buffer) => T,
): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  return streamBody(req, limits, budget, {
    write(chunk) {
      chunks.push(chunk);
      size += chunk.length;
    },
    end: () => use(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)),
  });
}

/**
 * Where a body's inflated bytes go as they arrive. `write` may throw to refuse the body at once
 * (a malformed multipart part); `end` gives the parsed body, at once or when a parser finishes.
 */
export interface BodySink<T> {
  write(chunk: Buffer): void;
  end(): T | Promise<T>;
}

/**
 * readBody's reading, with the bytes handed to `sink` instead of kept: a streaming parser
 * (multipart) sees them while they are still counted against BODY_LIMIT and BODY_BYTES_IN_FLIGHT,
 * and the budget is given back once `sink.end()` has settled.
 */
export function streamBody<T>(
  req: IncomingMessage,
  limits: BodyReadLimits,
  budget: BodyBudget,
  sink: BodySink<T>,
): Promise<T> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.limitBytes) return Promise.reject(tooLarge());
  if (encoding === 'identity' && budget.inFlight + declared > budget.capacity) {
    return Promise.reject(busy());
  }
  const makeDecoder = DECODERS.get(encoding);
  if (encoding !== 'identity' && !makeDecoder) return Promise.reject(unsupportedEncoding(encoding));
  const decoder = makeDecoder?.();
  return new Promise<T>((resolve, reject) => {
    let taken = 0;
    let wire = 0;
    let done = false;
    const total = setTimeout(
      () => fail(timedOut(`did not arrive within ${limits.totalMs} ms`)),
      limits.totalMs,
    );
    const idle = setTimeout(onIdle, limits.idleMs);
    function onIdle() {
      fail(timedOut(`sent nothing for ${limits.idleMs} ms`));
    }
    const cleanup = () => {
      done = true;
      clearTimeout(total);
      clearTimeout(idle);
      req.off('data', onWire);
      req.off('end', onWireEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (decoder) {
        req.unpipe(decoder);
        decoder.off('data', onInflated);
        decoder.off('end', finish);
        decoder.off('error', onDecodeError);
        decoder.destroy();
      }
    };
    function fail(error: Error) {
      if (done) return;
      cleanup();
      req.pause();
      budget.release(taken);
      reject(error);
    }
    function finish() {
      if (done) return;
      cleanup();
      let result: T | Promise<T>;
      try {
        result = sink.end();
      } catch (error) {
        budget.release(taken);
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!(result instanceof Promise)) {
        budget.release(taken);
        resolve(result);
        return;
      }
      result.then(
        (value) => {
          budget.release(taken);
          resolve(value);
        },
        (error: unknown) => {
          budget.release(taken);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
    function onWire(chunk: Buffer) {
      idle.refresh();
      wire += chunk.length;
      if (wire > limits.limitBytes) return fail(tooLarge());
      if (!decoder) onInflated(chunk);
    }
    function onInflated(chunk: Buffer) {
      if (done) return;
      if (taken + chunk.length > limits.limitBytes) return fail(tooLarge());
      if (!budget.tryTake(chunk.length)) return fail(busy());
      taken += chunk.length;
      try {
        sink.write(chunk);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    }
    function onWireEnd() {
      if (!decoder) finish();
    }
    function onError(error: Error) {
      fail(error);
    }
    function onClose() {
      if (!req.complete)
        fail(new Error('The client closed the connection while sending the body.'));
    }
    function onDecodeError(error: Error) {
      fail(
        ApiError.badRequest(
          `The request body could not be decompressed as ${encoding} (${error.message}).`,
        ),
      );
    }
    req.on('data', onWire);
    req.on('end', onWireEnd);
    req.on('error', onError);
    req.on('close', onClose);
    if (decoder) {
      decoder.on('data', onInflated);
      decoder.on('end', finish);
      decoder.on('error', onDecodeError);
      req.pipe(decoder);
    }
  });
}

const DECODERS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

function unsupportedEncoding(encoding: string): ApiError {
  return new ApiError({
    status: 415,
    kind: 'invalid_request',
    message: `Unsupported Content-Encoding "${encoding.slice(0, 40)}"; use gzip, deflate, br or none.`,
  });
}

function tooLarge(): ApiError {
  return new ApiError({
    status: 413,
    kind: 'invalid_request',
    message: 'The request body is larger than BODY_LIMIT allows (counted after decompression).',
  });
}

function busy(): ApiError {
  return new ApiError({
    status: 503,
    kind: 'internal',
    message:
      'The proxy is receiving too many request bodies at once (BODY_BYTES_IN_FLIGHT); retry shortly.',
    retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
  });
}

function timedOut(detail: string): ApiError {
  return new ApiError({
    status: 408,
    kind: 'timeout',
    message: `The request body ${detail}.`,
  });
}
