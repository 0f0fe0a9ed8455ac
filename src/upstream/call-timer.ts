import { EventEmitter } from 'node:events';

/**
 * The cancel signal of one upstream call, in the form undici also takes: an EventEmitter that
 * emits `abort` once, with `aborted` and `reason` as an AbortSignal has them. Made on every call,
 * it costs less than an AbortController, whose EventTarget listeners are Node's slowest.
 */
export class CallSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/**
 * The one time limit of one upstream call: a single timer that aborts the request through the
 * signal handed to the HTTP client, which also follows the client's own abort. A whole call arms it
 * once. A stream re-arms it for each event and holds it while the consumer has the event, so that
 * the limit bounds Google's silence (before the first event and between events), never the length
 * of a healthy stream nor the pace of the client reading it.
 */
export class CallTimer {
  private readonly cancel = new CallSignal();
  private readonly timer: NodeJS.Timeout;
  private held = false;
  private stopped = false;
  private expired = false;

  constructor(
    private readonly client: AbortSignal,
    ms: number,
  ) {
    this.timer = setTimeout(this.expire, ms);
    if (client.aborted) this.onClientAbort();
    else client.addEventListener('abort', this.onClientAbort, { once: true });
  }

  /** Aborted when the time is up or the client went away. */
  get signal(): CallSignal {
    return this.cancel;
  }

  /** True once the limit ended the call (as opposed to the client or a normal end). */
  get timedOut(): boolean {
    return this.expired;
  }

  /** An event reached the consumer: Google is not being waited on until it asks for the next. */
  hold(): void {
    this.held = true;
  }

  /** The consumer asks for the next event: Google has the whole limit again to send it. */
  resume(): void {
    this.held = false;
    // refresh() re-arms in place, also a timer that already fired while held.
    if (!this.stopped) this.timer.refresh();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.client.removeEventListener('abort', this.onClientAbort);
  }

  private readonly expire = (): void => {
    if (this.held || this.stopped) return;
    this.expired = true;
    this.stop();
    this.cancel.abort(new DOMException('Google did not answer in time', 'TimeoutError'));
  };

  private readonly onClientAbort = (): void => {
    this.stop();
    this.cancel.abort(this.client.reason);
  };
}
