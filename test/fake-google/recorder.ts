import type { RecordedRequest } from './types';

type Predicate = (request: RecordedRequest) => boolean;

interface Waiter {
  predicate: Predicate;
  abortedOnly: boolean;
  resolve(request: RecordedRequest): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The log of calls the fake received, and promises that settle when a matching call shows up. */
export class Recorder {
  /** Cleared in place by reset(), so callers may hold on to the array. */
  readonly requests: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly enabled: boolean) {}

  push(request: RecordedRequest): void {
    if (!this.enabled) return;
    this.requests.push(request);
    this.notify(request);
  }

  /** Called when a client hangs up on a request already pushed to the log. */
  noteAbort(request: RecordedRequest): void {
    if (this.enabled) this.notify(request);
  }

  waitFor(predicate: Predicate, timeoutMs: number, abortedOnly: boolean): Promise<RecordedRequest> {
    const seen = this.requests.find((r) => (!abortedOnly || r.aborted) && predicate(r));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        abortedOnly,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(this.timeoutMessage(abortedOnly, timeoutMs)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** Settles every pending wait, so that a test awaiting one after close() fails instead of hanging. */
  rejectWaiters(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
    }
    this.waiters.clear();
  }

  private notify(request: RecordedRequest): void {
    if (this.waiters.size === 0) return;
    for (const waiter of [...this.waiters]) {
      if (waiter.abortedOnly && !request.aborted) continue;
      if (!waiter.predicate(request)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(request);
    }
  }

  private timeoutMessage(abortedOnly: boolean, timeoutMs: number): string {
    const what = abortedOnly ? 'aborted request' : 'request';
    const recent = this.requests
      .slice(-10)
      .map((r) => `${r.method} ${r.path}${r.aborted ? ' (aborted)' : ''}`)
      .join(', ');
    return `FakeGoogle: no matching ${what} within ${timeoutMs}ms; ${this.requests.length} recorded${
      recent ? `, latest: ${recent}` : ''
    }`;
  }
}
