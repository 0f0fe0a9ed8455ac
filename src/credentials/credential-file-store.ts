import { createHash, randomBytes } from 'node:crypto';
import { FSWatcher, promises as fs, watch } from 'node:fs';
import * as path from 'node:path';

export const CREDENTIAL_FILE_PATTERN = /^oauth_creds(_.*)?\.json$/;

export interface StoredFile {
  path: string;
  text: string;
}

/**
 * The disk boundary for credential files: listing, reading, atomic 0600 writes and watching.
 * Writes go to a temporary file in the same folder and are renamed over the target, so a reader
 * never sees half a file and a crash never leaves one.
 */
export class CredentialFileStore {
  /** Hashes of what this process wrote last, so the watcher can ignore its own write-backs. */
  private readonly ownWrites = new Map<string, string>();

  constructor(readonly dir: string) {}

  async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => CREDENTIAL_FILE_PATTERN.test(n))
      .sort()
      .map((n) => path.join(this.dir, n));
  }

  async read(file: string): Promise<StoredFile> {
    return { path: file, text: await fs.readFile(file, 'utf8') };
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const tmp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.chmod(tmp, 0o600);
      this.ownWrites.set(path.resolve(file), hash(text));
      await fs.rename(tmp, file);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /** True when `text` is exactly what this process last wrote to `file`. */
  isOwnWrite(file: string, text: string): boolean {
    return this.ownWrites.get(path.resolve(file)) === hash(text);
  }

  /** Calls `onChange` (debounced) whenever a credential file appears, changes or disappears. */
  watch(onChange: () => void, debounceMs = 300): { close(): void } {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        if (name && !CREDENTIAL_FILE_PATTERN.test(name.toString())) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, debounceMs);
        timer.unref();
      });
      watcher.on('error', () => undefined);
    } catch {
      // A folder that cannot be watched (missing, or a filesystem without inotify) only loses hot reload.
    }
    return {
      close: () => {
        clearTimeout(timer);
        watcher?.close();
      },
    };
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `oauth_creds_{email}_{project}.json`, with the seed's "safe" rule for each part. */
export function credentialFileName(
  email: string | undefined,
  projectId: string | undefined,
): string {
  const safe = (s: string | undefined) => {
    const cleaned = (s ?? '').replace(/[@.]/g, '_').replace(/[^A-Za-z0-9_.-]/g, '');
    return cleaned === '' ? 'unspecified' : cleaned;
  };
  return `oauth_creds_${safe(email)}_${safe(projectId)}.json`;
}
