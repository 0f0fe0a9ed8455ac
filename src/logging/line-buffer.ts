/** Where a LineBuffer's text goes: process.stdout in the app, an array in tests. */
export type LineSink = (text: string) => void;

export interface LineBufferOptions {
  /** Longest a line waits before it is written. */
  maxDelayMs: number;
  /** Written at once when this many characters are waiting. */
  maxChars: number;
}

export const DEFAULT_LINE_BUFFER: LineBufferOptions = { maxDelayMs: 100, maxChars: 64 * 1024 };

/**
 * Gathers log lines and writes them together: stdout to a file or a pipe (what Docker uses) is a
 * synchronous write on Linux, one per line at thousands of requests a second. A line waits at most
 * `maxDelayMs`; `flush()` writes what is waiting at once (before an error line, on exit).
 */
export class LineBuffer {
  private pending: string[] = [];
  private chars = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sink: LineSink,
    private readonly options: LineBufferOptions = DEFAULT_LINE_BUFFER,
  ) {}

  /** Queues `text`, which carries its own line ending. */
  push(text: string): void {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= this.options.maxChars) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
      // A quiet process must be free to exit; the exit hook writes what is left.
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.chars = 0;
    this.sink(text);
  }
}
