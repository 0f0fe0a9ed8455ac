/**
 * A stream that has already produced its first event (so the dispatcher could still fail over
 * while waiting for it), replays that event, and reports each event and the end to an observer.
 * The observer sits on every chunk of every stream: it may only read fields, and this wrapper
 * allocates nothing per chunk beyond the promise `next()` must return anyway.
 */
export interface StreamObserver<T> {
  onEvent(event: T): void;
  /**
   * Called once: `completed` when the source ran out, else with the error it threw, or with no
   * error when the consumer stopped early (a client that went away).
   */
  onEnd(completed: boolean, error?: unknown): void;
  /**
   * What the consumer sees instead of the source's error: the stream is the boundary where
   * Google's mid-stream failures become the proxy's domain error, so the HTTP edge never reads
   * upstream's error classes.
   */
  convertError?(error: unknown): unknown;
}

export interface PrimedStream<T> {
  iterator: AsyncIterator<T>;
  first: IteratorResult<T>;
  /** When the first event arrived, on the dispatcher's clock. */
  firstAt: number;
}

/** Waits for the first event; an error before it is still the attempt's to classify. */
export async function primeStream<T>(
  source: AsyncIterable<T>,
  now: () => number,
): Promise<PrimedStream<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { iterator, first, firstAt: now() };
}

export class ObservedStream<T> implements AsyncIterableIterator<T> {
  private pending: IteratorResult<T> | undefined;
  private ended = false;
  private readonly iterator: AsyncIterator<T>;

  constructor(
    primed: PrimedStream<T>,
    private readonly observer: StreamObserver<T>,
  ) {
    this.iterator = primed.iterator;
    this.pending = primed.first;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return Promise.resolve(this.seen(pending));
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return this.iterator.next().then(this.seen, this.failed);
  }

  async return(): Promise<IteratorResult<T>> {
    this.pending = undefined;
    this.end(false);
    // Closing the source is what aborts the upstream request when the consumer stops early.
    await this.iterator.return?.();
    return { done: true, value: undefined };
  }

  private readonly seen = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) this.end(true);
    else this.observer.onEvent(result.value);
    return result;
  };

  private readonly failed = (error: unknown): never => {
    this.end(false, error);
    throw this.observer.convertError ? this.observer.convertError(error) : error;
  };

  private end(completed: boolean, error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.observer.onEnd(completed, error);
  }
}
