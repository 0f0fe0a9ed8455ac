import { ApiError } from '../../errors/api-error';
import type { FetchedMedia } from './content-parts';
import { MediaFetchError, MediaFetcher } from './media-fetcher';

export const MEDIA_LIMITS = Symbol('MEDIA_LIMITS');

export interface MediaLimits {
  /** URLs fetched for one request. */
  maxUrls: number;
  /** Body bytes of all of them together. */
  maxTotalBytes: number;
  /** Fetches of one request in flight at once. */
  concurrency: number;
}

/**
 * The remote media of one request: a few fetches at a time, a cap on their number and total size,
 * and all of them cancelled when the client leaves or the first one fails (its answer is a 400,
 * so the rest would be fetched for nobody).
 */
export class RequestMedia {
  private requested = 0;
  private running = 0;
  private bytes = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly controller = new AbortController();
  /**
   * The first fetch starts a turn of the event loop after the mapper asked for it, so every URL
   * of the request is counted first and a request over the limit fetches nothing, however the
   * dialect's mapper orders its work.
   */
  private counted: Promise<void> | undefined;

  constructor(
    private readonly fetcher: MediaFetcher,
    private readonly limits: MediaLimits,
    clientSignal?: AbortSignal,
  ) {
    if (clientSignal?.aborted) this.controller.abort();
    else clientSignal?.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  readonly fetch = async (url: string): Promise<FetchedMedia> => {
    this.requested += 1;
    if (this.requested > this.limits.maxUrls) {
      this.controller.abort();
      const max = this.limits.maxUrls;
      throw ApiError.badRequest(
        `The request has more than ${max} media URLs; the proxy fetches at most ${max} per request (MEDIA_FETCH_MAX_URLS). Send the others as data URLs or base64.`,
      );
    }
    this.counted ??= new Promise((resolve) => setImmediate(resolve));
    await this.counted;
    await this.slot();
    try {
      if (this.controller.signal.aborted) throw new MediaFetchError('the request was cancelled');
      return await this.fetcher.fetchMedia(url, {
        signal: this.controller.signal,
        onBytes: (n) => this.count(n),
      });
    } catch (err) {
      this.controller.abort();
      throw err;
    } finally {
      this.release();
    }
  };

  private count(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxTotalBytes) {
      throw new MediaFetchError(
        `the image URLs of one request may total at most ${this.limits.maxTotalBytes} bytes (MEDIA_FETCH_MAX_TOTAL_BYTES)`,
      );
    }
  }

  private async slot(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiting fetch, so the count never drops in between. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
