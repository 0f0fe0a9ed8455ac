/** Percentiles of raw samples (no histogram rounding: the targets are sub-millisecond). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest-rank, as HdrHistogram and autocannon report it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: ArrayLike<number>): number {
  return percentile(sortedCopy(values), 50);
}

/** A float array that grows without boxing each sample (a 10 s load records ~100k latencies). */
export class Samples {
  private data = new Float64Array(4096);
  private n = 0;

  push(value: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = value;
  }

  get length(): number {
    return this.n;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.n).sort();
  }
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Milliseconds on the kernel's monotonic clock (what `process.hrtime` reads). Every process on the
 * machine shares it, so a stamp taken in the fake Google compares with one taken in the client.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}
