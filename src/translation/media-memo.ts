import type { FetchedMedia } from './content-parts';

/**
 * Bytes of fetched media kept for later turns: enough for the images of a few live
 * conversations, small beside the heap. What does not fit is fetched again when asked for.
 */
export const MEDIA_MEMO_BYTES = 32 * 1024 * 1024;

/**
 * The media fetched for stored conversations, by URL, least recently used first out: a
 * `previous_response_id` turn replays the earlier turns' image URLs, which were fetched then.
 * Bounded by bytes, so no conversation can grow it.
 */
export class MediaMemo {
  private readonly entries = new Map<string, FetchedMedia>();
  private bytes = 0;

  constructor(private readonly maxBytes = MEDIA_MEMO_BYTES) {}

  get size(): number {
    return this.bytes;
  }

  get(url: string): FetchedMedia | undefined {
    const media = this.entries.get(url);
    if (media) {
      this.entries.delete(url);
      this.entries.set(url, media);
    }
    return media;
  }

  set(url: string, media: FetchedMedia): void {
    const cost = url.length + media.mimeType.length + media.data.length;
    this.drop(url);
    if (cost > this.maxBytes) return;
    this.entries.set(url, media);
    this.bytes += cost;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(url: string): void {
    const media = this.entries.get(url);
    if (!media) return;
    this.entries.delete(url);
    this.bytes -= url.length + media.mimeType.length + media.data.length;
  }
}
