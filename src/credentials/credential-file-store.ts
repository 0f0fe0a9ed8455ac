import { createHash, randomBytes } from 'node:crypto';
import { constants, FSWatcher, promises as fs, Stats, watch } from 'node:fs';
import * as path from 'node:path';

/** The generator's OAuth files. */
export const OAUTH_FILE_PATTERN = /^oauth_creds(_.*)?\.json$/;

/**
 * Every file the loader reads: OAuth files by name, and any other `*.json`, which may be a
 * service-account key (known by its content). Hidden files are never credentials.
 */
export const CREDENTIAL_FILE_PATTERN = /^[^.].*\.json$/;

/** The temporary files of `writeJson`: `.{credential file name}.{12 hex}.tmp`. */
export const TEMP_FILE_PATTERN = /^\.oauth_creds(_.*)?\.json\.[0-9a-f]{12}\.tmp$/;

/**
 * Age past which a temporary file is taken for the leftover of a write that was killed. A write
 * lasts milliseconds (write, fsync, rename); the margin covers a slow disk and another replica's
 * write on a shared volume, which this process cannot see in flight.
 */
export const STALE_TEMP_FILE_MS = 60_000;

/**
 * The largest credential file read. A key file or an OAuth file is a few kilobytes; anything
 * larger is not one, and reading it whole (a symlink to /dev/zero, a log file named `*.json`)
 * would take the process's memory.
 */
export const MAX_CREDENTIAL_FILE_BYTES = 1024 * 1024;

/** A file in the credentials folder that is not one to read; the message says why. */
export class UnreadableCredentialFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableCredentialFileError';
  }
}

export interface TempFileSweep {
  removed: number;
  /** When the youngest temporary file left in place becomes stale (epoch ms), if any is left. */
  nextStaleAt?: number;
}

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
  /** Temporary files this process is writing right now; never removed as stale. */
  private readonly writing = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly staleTempFileMs = STALE_TEMP_FILE_MS,
    private readonly maxBytes = MAX_CREDENTIAL_FILE_BYTES,
  ) {}

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

  /**
   * Reads a regular file of at most `maxBytes` (symlinks followed, as Kubernetes mounts its
   * secrets). Opened without blocking and checked on the open handle, so that a named pipe never
   * holds start-up or a reload, and a device or a file that grows is never read past the cap.
   */
  async read(file: string): Promise<StoredFile> {
    const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new UnreadableCredentialFileError(
          `it is ${describeFileType(stat)}, not a regular file`,
        );
      }
      if (stat.size > this.maxBytes) throw tooLarge(this.maxBytes);
      const buffer = Buffer.alloc(Math.min(stat.size, this.maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      // Grew past its size since the check: never read without end.
      if (length > this.maxBytes) throw tooLarge(this.maxBytes);
      return { path: file, text: buffer.toString('utf8', 0, length) };
    } finally {
      await handle.close();
    }
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const tmp = path.join(path.dirname(file), tempFileName(path.basename(file)));
    this.writing.add(tmp);
    try {
      const handle = await fs.open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.chmod(tmp, 0o600);
      this.ownWrites.set(path.resolve(file), hash(text));
      await fs.rename(tmp, file);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    } finally {
      this.writing.delete(tmp);
    }
  }

  /**
   * Deletes the temporary files a killed write left behind (each holds a whole credential,
   * refresh token included). Only names of this store's own pattern, only once stale, and never
   * one this process is still writing.
   */
  async removeStaleTempFiles(now: number): Promise<TempFileSweep> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: 0 };
      throw error;
    }
    let removed = 0;
    let nextStaleAt: number | undefined;
    for (const name of names.filter((n) => TEMP_FILE_PATTERN.test(n))) {
      const file = path.join(this.dir, name);
      if (this.writing.has(file)) continue;
      const stat = await fs.lstat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      const staleAt = stat.mtimeMs + this.staleTempFileMs;
      if (staleAt > now) {
        nextStaleAt = Math.min(nextStaleAt ?? staleAt, staleAt);
        continue;
      }
      await fs.rm(file, { force: true });
      removed++;
    }
    return nextStaleAt === undefined ? { removed } : { removed, nextStaleAt };
  }

  /** True when `text` is exactly what this process last wrote to `file`. */
  isOwnWrite(file: string, text: string): boolean {
    return this.ownWrites.get(path.resolve(file)) === hash(text);
  }

  /**
   * Calls `onChange` (debounced) whenever a credential file appears, changes or disappears, and
   * `onTempFile` (debounced) when one of the temporary files appears or changes.
   */
  watch(
    onChange: () => void,
    { onTempFile, debounceMs = 300 }: { onTempFile?: () => void; debounceMs?: number } = {},
  ): { close(): void } {
    let timer: NodeJS.Timeout | undefined;
    let tempTimer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        if (name && TEMP_FILE_PATTERN.test(name.toString())) {
          if (!onTempFile) return;
          clearTimeout(tempTimer);
          tempTimer = setTimeout(onTempFile, debounceMs);
          tempTimer.unref();
          return;
        }
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
        clearTimeout(tempTimer);
        watcher?.close();
      },
    };
  }
}

function describeFileType(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'a special file';
}

function tooLarge(maxBytes: number): UnreadableCredentialFileError {
  return new UnreadableCredentialFileError(
    `it is larger than ${Math.round(maxBytes / 1024)} KiB, far more than any credential file`,
  );
}

function tempFileName(target: string): string {
  return `.${target}.${randomBytes(6).toString('hex')}.tmp`;
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
