import type { Logger } from '@nestjs/common';

/** Distinct tool types named in the log: every real agent's fit, and no client can grow it. */
export const MAX_LOGGED_TOOL_TYPES = 256;

/**
 * Says once per tool type that it is left out of upstream requests. The types are the client's
 * own words (sanitised by the mapper), so the set of those already said is bounded: past the
 * bound the proxy says so once and stays quiet.
 */
export class ToolTypeLog {
  private readonly said = new Set<string>();
  private full = false;

  constructor(
    private readonly logger: Pick<Logger, 'log'>,
    private readonly max = MAX_LOGGED_TOOL_TYPES,
  ) {}

  report(types: readonly string[]): void {
    for (const type of types) {
      if (this.said.has(type)) continue;
      if (this.said.size >= this.max) {
        if (!this.full) {
          this.full = true;
          this.logger.log(
            `More than ${this.max} tool types without a Gemini equivalent seen; no more are logged.`,
          );
        }
        return;
      }
      this.said.add(type);
      this.logger.log(`Tool type ${type} has no Gemini equivalent here; left out of requests.`);
    }
  }
}
