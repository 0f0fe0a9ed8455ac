/**
 * Keeps a label's distinct values bounded: model names and Google's reasons come from outside,
 * and every new value is a new time series. Past the limit, new values share one `other` series.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  value(raw: string | undefined): string {
    const v = raw || 'none';
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(v);
    return v;
  }
}
