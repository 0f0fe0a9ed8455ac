import type { IncomingMessage, ServerResponse } from 'node:http';
import { googleError } from './google-errors';
import type { Recorder } from './recorder';
import type { ApiName, RecordedRequest } from './types';

/** Shared by every exchange of one server: lets close() tear sockets down without faking aborts. */
export interface Lifecycle {
  closing: boolean;
}

/**
 * One request and its answer. It owns the bookkeeping every route needs: the recorded entry, the
 * client hang-up that ends pending sleeps, and the server-side cut used by the `cutMidStream` fault.
 */
export class Exchange {
  readonly entry: RecordedRequest;
  /** The body's bytes, for routes that take uploads. */
  raw: Buffer | undefined;
  /** Set by a `cutMidStream` fault: the answer stops after this many events (JSON: half the body). */
  cutAfterEvents: number | undefined;
  /** Set by a `slowStream` fault: this answer's own event count and pace. */
  streamPace: { events: number; intervalMs: number } | undefined;
  /** Set by a `stallMidStream` fault: the answer falls silent after this many events. */
  stallAfterEvents: number | undefined;
  private finished = false;
  private disconnected = false;
  private recorded = false;
  /** Ends the pending sleep early; cheaper than an AbortController on every request. */
  private wake: (() => void) | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    private readonly recorder: Recorder,
    private readonly lifecycle: Lifecycle,
  ) {
    this.entry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      api: 'oauth',
      aborted: false,
    };
    res.once('close', () => this.onClose());
  }

  get query(): Record<string, string> {
    return this.entry.query;
  }

  get body(): unknown {
    return this.entry.body;
  }

  /** False once the client left, the answer ended, or the server cut it. */
  get open(): boolean {
    return !this.finished && !this.disconnected && !this.res.destroyed;
  }

  identify(api: ApiName, action: string | undefined): void {
    this.entry.api = api;
    this.entry.action = action;
  }

  /** Puts the entry in the log once, after the route knows who is calling. */
  record(fields: { action?: string; model?: string; credential?: string } = {}): void {
    if (this.recorded) return;
    this.recorded = true;
    if (fields.action !== undefined) this.entry.action = fields.action;
    if (fields.model !== undefined) this.entry.model = fields.model;
    if (fields.credential !== undefined) this.entry.credential = fields.credential;
    this.recorder.push(this.entry);
  }

  /**
   * Waits `ms`, or until `until` settles, unless the client leaves first; resolves to whether the
   * answer can still be written.
   */
  async sleep(ms: number, until?: Promise<void>): Promise<boolean> {
    if (ms > 0 && this.open) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake(), ms);
        const wake = () => {
          clearTimeout(timer);
          if (this.wake === wake) this.wake = undefined;
          resolve();
        };
        this.wake = wake;
        void until?.then(wake);
      });
    }
    return this.open;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, 'application/json; charset=UTF-8', JSON.stringify(body), headers);
  }

  error(code: number, message?: string, details?: unknown[], headers?: Record<string, string>) {
    this.json(code, googleError(code, message, details), headers);
  }

  html(status: number, page: string): void {
    this.send(status, 'text/html; charset=utf-8', page, {});
  }

  redirect(location: string): void {
    if (!this.open) return;
    this.finished = true;
    this.res.writeHead(302, { location, 'content-length': '0' });
    this.res.end();
  }

  startStream(contentType: string): void {
    this.res.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  }

  write(chunk: string): void {
    if (this.open) this.res.write(chunk);
  }

  end(chunk?: string): void {
    if (!this.open) return;
    this.finished = true;
    this.res.end(chunk);
  }

  /** Drops the connection once what was written so far reached the kernel: a mid-answer failure. */
  cut(): void {
    if (!this.open) return;
    this.finished = true;
    if (!this.res.headersSent) this.res.flushHeaders();
    const socket = this.res.socket;
    if (!socket) return;
    socket.write('', () => socket.destroy());
  }

  /** Last resort for a route that threw: an error answer if still possible, else a cut. */
  fail(): void {
    if (!this.res.headersSent) this.error(500);
    else this.cut();
  }

  private send(status: number, type: string, text: string, headers: Record<string, string>) {
    if (!this.open) return;
    const length = Buffer.byteLength(text);
    this.res.writeHead(status, {
      ...headers,
      'content-type': type,
      'content-length': String(length),
    });
    if (this.cutAfterEvents !== undefined) {
      this.res.write(text.slice(0, Math.floor(text.length / 2)));
      this.cut();
      return;
    }
    this.finished = true;
    this.res.end(text);
  }

  private onClose(): void {
    this.disconnected = true;
    if (!this.finished && !this.lifecycle.closing) {
      this.entry.aborted = true;
      if (this.recorded) this.recorder.noteAbort(this.entry);
    }
    this.wake?.();
  }
}
