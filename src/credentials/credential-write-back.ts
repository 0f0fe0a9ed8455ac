import { Logger } from '@nestjs/common';
import * as path from 'node:path';
import { shownField } from './credential';
import { CredentialFileStore } from './credential-file-store';

/**
 * Writes refreshed tokens and discovered projects back to the file a credential came from,
 * merged into what the file already holds, atomically with mode 0600 (the store's `writeJson`),
 * one write at a time per file. A failed write is logged and never reaches the request.
 */
export class CredentialWriteBack {
  private readonly logger = new Logger('Credentials');
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly files: CredentialFileStore) {}

  write(file: string | undefined, fields: Record<string, unknown>): void {
    if (!file) return;
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const current = JSON.parse((await this.files.read(file)).text) as Record<string, unknown>;
        await this.files.writeJson(file, { ...current, ...fields });
      })
      .catch((error: Error) => {
        this.logger.warn(`Could not update ${shownField(path.basename(file))}: ${error.message}`);
      });
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    });
  }

  /** Waits until every pending write has reached the disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
  }
}
