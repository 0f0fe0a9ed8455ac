/** Named checks run in order, printed as they finish, closing with the plain `N passed, N failed`. */
export class CheckReport {
  private passed = 0;
  private failed = 0;

  /** Runs one check; it passes unless `run` throws. A returned string is shown as its detail. */
  async check(name: string, run: () => Promise<string | void>): Promise<boolean> {
    const started = Date.now();
    try {
      const detail = await run();
      this.passed += 1;
      console.log(
        `ok    ${name}${detail ? ` (${detail})` : ''} [${seconds(Date.now() - started)}]`,
      );
      return true;
    } catch (error) {
      this.fail(name, error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  /** Records a check that could not run because something it needs failed first. */
  fail(name: string, reason: string): void {
    this.failed += 1;
    console.log(`FAIL  ${name}: ${reason}`);
  }

  get ok(): boolean {
    return this.failed === 0 && this.passed > 0;
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
