import { Transform, TransformCallback } from 'node:stream';

/**
 * Passes bytes on until more than `limit` have gone by, then fails the stream: a client that
 * declared a small length (or none) cannot push past FILES_MAX_BYTES.
 */
export class ByteCap extends Transform {
  private seen = 0;
  private readonly cut = new AbortController();
  /** Set once the stream went past the limit: the failed call is the client's 413. */
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  /**
   * The client's signal, also aborted when the limit is passed: the call to Google then ends as
   * the client's doing, and the credential carries no fault for it.
   */
  signalWith(client: AbortSignal): AbortSignal {
    return AbortSignal.any([client, this.cut.signal]);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      this.cut.abort();
      done(new Error('The upload is larger than FILES_MAX_BYTES'));
    } else done(null, chunk);
  }
}
