/**
 * The bytes of request bodies the process holds at once, across every request. Each body takes
 * what it has received (inflated) and gives it back once it is parsed or refused, so a burst of
 * large uploads meets a 503 instead of the out-of-memory killer.
 */
export class BodyBudget {
  private held = 0;

  constructor(readonly capacity: number) {}

  get inFlight(): number {
    return this.held;
  }

  /** Takes `bytes` if they fit; false (and nothing taken) when they would pass the capacity. */
  tryTake(bytes: number): boolean {
    if (this.held + bytes > this.capacity) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
