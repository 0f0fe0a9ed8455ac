import { ApiError } from '../../errors/api-error';
import type { FetchedMedia } from './content-parts';
import { MediaFetchError, MediaFetcher, MediaFetchOptions } from './media-fetcher';
import { MediaLimits, RequestMedia } from './request-media';

/** A fetcher whose fetches stay open until released, or until their signal fires. */
class HeldFetcher implements MediaFetcher {
  readonly started: string[] = [];
  readonly cancelled: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly releases: (() => void)[] = [];

  fetchMedia(url: string, options: MediaFetchOptions = {}): Promise<FetchedMedia> {
    this.started.push(url);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<FetchedMedia>((resolve, reject) => {
      let settled = false;
      const done = () => {
        settled = true;
        this.inFlight -= 1;
      };
      options.signal?.addEventListener('abort', () => {
        if (settled) return;
        done();
        this.cancelled.push(url);
        reject(new MediaFetchError('the request was cancelled'));
      });
      this.releases.push(() => {
        if (settled) return;
        try {
          options.onBytes?.(1000);
          resolve({ mimeType: 'image/png', data: 'AAAA' });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        } finally {
          done();
        }
      });
    });
  }

  releaseOne(): void {
    this.releases.shift()?.();
  }
}

const LIMITS: MediaLimits = { maxUrls: 10, maxTotalBytes: 100_000, concurrency: 3 };
const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://img.example/${i}.png`);
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RequestMedia', () => {
  it('runs at most `concurrency` fetches at once and starts the next as one ends', async () => {
    const fetcher = new HeldFetcher();
    const media = new RequestMedia(fetcher, LIMITS);
    const all = Promise.all(urls(8).map(media.fetch));
    await settle();
    expect(fetcher.started).toHaveLength(3);
    for (let i = 0; i < 8; i++) {
      fetcher.releaseOne();
      await settle();
    }
    await expect(all).resolves.toHaveLength(8);
    expect(fetcher.maxInFlight).toBe(3);
  });

  it('refuses more URLs than maxUrls with a 400 naming the limit, and starts none past it', async () => {
    const fetcher = new HeldFetcher();
    const media = new RequestMedia(fetcher, LIMITS);
    const all = Promise.all(urls(11).map(media.fetch));
    await expect(all).rejects.toThrow(
      new ApiError({
        status: 400,
        kind: 'invalid_request',
        message:
          'The request has more than 10 media URLs; the proxy fetches at most 10 per request (MEDIA_FETCH_MAX_URLS). Send the others as data URLs or base64.',
      }),
    );
    await settle();
    expect(fetcher.started).toHaveLength(0);
    expect(fetcher.inFlight).toBe(0);
  });

  it('fails the fetch that passes the total byte limit, naming it', async () => {
    const fetcher = new HeldFetcher();
    const media = new RequestMedia(fetcher, { ...LIMITS, maxTotalBytes: 2500 });
    const all = Promise.all(urls(4).map(media.fetch));
    await settle();
    for (let i = 0; i < 3; i++) fetcher.releaseOne();
    await expect(all).rejects.toThrow(
      'the image URLs of one request may total at most 2500 bytes (MEDIA_FETCH_MAX_TOTAL_BYTES)',
    );
  });

  it('cancels running and waiting fetches when the client leaves', async () => {
    const fetcher = new HeldFetcher();
    const client = new AbortController();
    const media = new RequestMedia(fetcher, LIMITS, client.signal);
    const all = Promise.allSettled(urls(8).map(media.fetch));
    await settle();
    client.abort();
    const results = await all;
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(fetcher.started).toHaveLength(3);
    expect(fetcher.cancelled).toHaveLength(3);
  });

  it('cancels the other fetches of the request when one fails', async () => {
    const fetcher = new HeldFetcher();
    const media = new RequestMedia(fetcher, { ...LIMITS, maxTotalBytes: 500 });
    const all = Promise.allSettled(urls(6).map(media.fetch));
    await settle();
    fetcher.releaseOne();
    await all;
    expect(fetcher.started).toHaveLength(3);
    expect(fetcher.cancelled).toHaveLength(2);
  });
});
