import { promises as dns, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { Agent, fetch } from 'undici';
import type { FetchedMedia } from './content-parts';
import { isPublicAddress } from './public-address';

export interface MediaFetchOptions {
  /** Cancels the fetch: the client left, or another fetch of the request failed. */
  signal?: AbortSignal;
  /** Told of every body chunk as it arrives; may throw to stop the download (a per-request total). */
  onBytes?: (bytes: number) => void;
}

/** Fetches the media behind an `image_url`; injected under this token so tests can swap it. */
export interface MediaFetcher {
  fetchMedia(url: string, options?: MediaFetchOptions): Promise<FetchedMedia>;
}

export const MEDIA_FETCHER = Symbol('MEDIA_FETCHER');

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export interface MediaFetcherOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Allow loopback, private and link-local addresses (tests, trusted networks). */
  allowPrivate: boolean;
  lookup?: LookupAll;
}

/** Why a fetch failed, in words fit for the client; the caller adds which URL and field. */
export class MediaFetchError extends Error {
  override name = 'MediaFetchError';
}

const MAX_REDIRECTS = 5;
const ACCEPTED = /^(image|audio|video)\/[\w.+-]+$|^application\/pdf$/;

/** Connects only to the addresses already checked, so a second DNS answer cannot differ (DNS rebinding). */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family
      ? addresses.filter((a) => a.family === options.family)
      : addresses;
    const list = wanted.length > 0 ? wanted : addresses;
    if (options.all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  };
}

/** Fetches http(s) media with a size cap, a time limit and no access to private networks. */
export class HttpMediaFetcher implements MediaFetcher {
  private readonly lookup: LookupAll;

  constructor(private readonly options: MediaFetcherOptions) {
    this.lookup = options.lookup ?? ((host) => dns.lookup(host, { all: true, verbatim: true }));
  }

  async fetchMedia(url: string, options: MediaFetchOptions = {}): Promise<FetchedMedia> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    try {
      options.signal?.throwIfAborted();
      let target = this.checkUrl(url);
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const addresses = await this.resolve(target.hostname.replace(/^\[|\]$/g, ''));
        const dispatcher = new Agent({ connect: { lookup: pinnedLookup(addresses) } });
        try {
          const res = await fetch(target, {
            dispatcher,
            signal,
            redirect: 'manual',
            headers: {
              accept: 'image/*,audio/*,video/*,application/pdf',
              'user-agent': 'gemini-rotating-proxy',
            },
          });
          const location = res.headers.get('location');
          if (res.status >= 300 && res.status < 400 && location) {
            await res.body?.cancel();
            target = this.checkUrl(new URL(location, target).toString());
            continue;
          }
          return await this.read(res, options.onBytes);
        } finally {
          void dispatcher.destroy();
        }
      }
      throw new MediaFetchError(`more than ${MAX_REDIRECTS} redirects`);
    } catch (err) {
      throw new MediaFetchError(
        options.signal?.aborted && !(err instanceof MediaFetchError)
          ? 'the request was cancelled'
          : this.reason(err),
      );
    }
  }

  private checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new MediaFetchError('not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new MediaFetchError(`${url.protocol} URLs are not fetched; use http(s)`);
    }
    return url;
  }

  private async resolve(hostname: string): Promise<LookupAddress[]> {
    const family = isIP(hostname);
    const addresses = family
      ? [{ address: hostname, family }]
      : await this.lookup(hostname).catch(() => {
          throw new MediaFetchError(`${hostname} does not resolve`);
        });
    if (addresses.length === 0) throw new MediaFetchError(`${hostname} does not resolve`);
    if (!this.options.allowPrivate) {
      const blocked = addresses.find((a) => !isPublicAddress(a.address));
      if (blocked) {
        const what = family ? hostname : `${hostname} resolves to ${blocked.address}, which`;
        throw new MediaFetchError(`${what} is a private or local address`);
      }
    }
    return addresses;
  }

  private async read(
    res: Awaited<ReturnType<typeof fetch>>,
    onBytes: MediaFetchOptions['onBytes'],
  ): Promise<FetchedMedia> {
    if (!res.ok) {
      await res.body?.cancel();
      throw new MediaFetchError(`the server answered HTTP ${res.status}`);
    }
    const mimeType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED.test(mimeType)) {
      await res.body?.cancel();
      throw new MediaFetchError(
        `content type ${mimeType || '(none)'} is not an image, audio, video or PDF`,
      );
    }
    const { maxBytes } = this.options;
    const tooLarge = () => new MediaFetchError(`larger than the ${maxBytes}-byte limit`);
    if (Number(res.headers.get('content-length')) > maxBytes) {
      await res.body?.cancel();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).byteLength;
      // Leaving the loop cancels the body stream.
      if (size > maxBytes) throw tooLarge();
      onBytes?.((chunk as Uint8Array).byteLength);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return { mimeType, data: Buffer.concat(chunks).toString('base64') };
  }

  private reason(err: unknown): string {
    if (err instanceof MediaFetchError) return err.message;
    const e = err as {
      name?: string;
      message?: string;
      cause?: { code?: string; message?: string };
    };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return `no answer within ${this.options.timeoutMs} ms`;
    }
    return e?.cause?.message ?? e?.message ?? String(err);
  }
}
