import { Logger } from '@nestjs/common';
import { Clock } from '../time/clock';
import { CredentialFileStore } from './credential-file-store';

/**
 * A write killed mid-way (`kill -9`, a crash, a full disk) leaves its temporary file, a whole
 * credential with its refresh token. Removes those that are stale, and looks again when the
 * first one left in place becomes stale (a young one may be another replica's write under way).
 */
export class TempFileSweeper {
  private readonly logger = new Logger('Credentials');
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly files: CredentialFileStore,
    private readonly clock: Clock,
  ) {}

  async sweep(): Promise<void> {
    try {
      const { removed, nextStaleAt } = await this.files.removeStaleTempFiles(this.clock.now());
      if (removed > 0) {
        this.logger.log(
          `Removed ${removed} stale temporary credential file(s) left by an interrupted write`,
        );
      }
      clearTimeout(this.timer);
      if (nextStaleAt !== undefined && !this.stopped) {
        this.timer = setTimeout(
          () => void this.sweep(),
          Math.max(0, nextStaleAt - this.clock.now()) + 100,
        );
        this.timer.unref();
      }
    } catch (error) {
      this.logger.warn(`Could not remove stale temporary files: ${(error as Error).message}`);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
