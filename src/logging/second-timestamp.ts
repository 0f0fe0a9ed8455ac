/**
 * A timestamp text that changes once a second, formatted once a second: Nest's ConsoleLogger runs
 * an Intl date format for every line, a measurable cost at one line per request.
 */
export class SecondTimestamp {
  private second = Number.NaN;
  private text = '';

  constructor(
    private readonly format: (epochMs: number) => string,
    private readonly now: () => number = Date.now,
  ) {}

  current(): string {
    const ms = this.now();
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.text = this.format(ms);
    }
    return this.text;
  }
}
