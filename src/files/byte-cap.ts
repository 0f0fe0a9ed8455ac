import { Transform, TransformCallback } from 'node:stream';

/**
 * Passes bytes on until more than `limit` have gone by, then fails the stream: a client that
 * declared a small length (or none) cannot push past FILES_MAX_BYTES.
 */
export class ByteCap extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new Error('The upload is larger than FILES_MAX_BYTES'));
    else done(null, chunk);
  }
}
