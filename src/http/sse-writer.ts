import type { ServerResponse } from 'node:http';
import { onFinalAnswer } from './final-answer';

export interface EventStreamOptions {
  /** An SSE comment is sent whenever the stream has been silent this long. */
  heartbeatMs: number;
  /** The frame that reports a failure once the response has started. */
  errorFrame(error: unknown): string;
  /** Written after the last frame (e.g. `data: [DONE]`). */
  trailer?: string;
  contentType?: string;
  /** What a heartbeat writes; an SSE comment unless the body is not SSE (e.g. a JSON array). */
  heartbeat?: string;
  /** Called once, with the error, when the stream ended on a failure. */
  onError?(error: unknown): void;
  /** How long a client may leave written bytes unread before it is dropped (default: 4 heartbeats). */
  stallMs?: number;
}

/**
 * Heartbeats exist so that idle intermediaries keep the stream open; a client that has taken no
 * byte through four of them is as gone as one those intermediaries would have cut.
 */
const STALL_HEARTBEATS = 4;

/**
 * The one place that writes streamed answers. Headers wait for the first frame so that a
 * failure before it can still get a real HTTP status; a silent model gets heartbeat comments
 * (which also commit the headers, after which failures become error frames). Back-pressure is
 * honoured, and a client that leaves stops the source.
 */
export async function writeEventStream(
  res: ServerResponse,
  source: Promise<AsyncIterable<string>>,
  options: EventStreamOptions,
): Promise<void> {
  let lastWrite = Date.now();
  let closed = false;
  res.once('close', () => (closed = true));
  const open = () => !closed && !res.writableEnded;
  const stallMs = options.stallMs ?? STALL_HEARTBEATS * options.heartbeatMs;
  const start = () => {
    if (res.headersSent) return;
    res.statusCode = 200;
    res.setHeader('content-type', options.contentType ?? 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    // No flushHeaders(): every start() is followed at once by a write or an end, and Node sends
    // the headers in the same packet as those first bytes instead of a write of their own.
  };
  const write = async (chunk: string) => {
    lastWrite = Date.now();
    if (!open()) return;
    if (!res.write(chunk)) {
      // A client that stops reading would otherwise hold this stream, and Google's socket behind
      // it, forever: destroying the response fires the client-abort signal that cancels upstream.
      await new Promise<void>((resolve) => {
        const stalled = setTimeout(() => res.destroy(), stallMs);
        const done = () => {
          clearTimeout(stalled);
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  const heartbeat = setInterval(
    () => {
      if (!open() || res.writableNeedDrain || Date.now() - lastWrite < options.heartbeatMs) return;
      start();
      lastWrite = Date.now();
      res.write(options.heartbeat ?? ': keep-alive\n\n');
    },
    Math.max(25, Math.min(1000, Math.floor(options.heartbeatMs / 4))),
  );
  const stopFinalAnswer = onFinalAnswer(res, (error) => {
    if (!open()) return;
    start();
    res.end(options.errorFrame(error));
  });
  let iterable: AsyncIterable<string>;
  try {
    try {
      iterable = await source;
    } catch (error) {
      // Nothing has been sent yet: let the dialect's filter answer with the right status.
      if (!res.headersSent) throw error;
      if (!open()) return;
      options.onError?.(error);
      await write(options.errorFrame(error));
      return;
    }
    try {
      for await (const frame of iterable) {
        if (!open()) break;
        start();
        await write(frame);
      }
      if (open()) {
        start();
        if (options.trailer) await write(options.trailer);
      }
    } catch (error) {
      // A client that left aborted the upstream call itself: that failure is nobody's to hear about.
      if (!open()) return;
      options.onError?.(error);
      start();
      await write(options.errorFrame(error));
    }
  } finally {
    clearInterval(heartbeat);
    stopFinalAnswer();
    if (open() && res.headersSent) res.end();
  }
}
