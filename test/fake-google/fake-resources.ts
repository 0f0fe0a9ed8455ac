import { randomBytes } from 'node:crypto';

/** One stored resource and the key (the project, for this fake) that created it. */
interface Owned<T> {
  owner: string;
  value: T;
}

type Json = Record<string, unknown>;

/**
 * Google's project-scoped resources as the fake keeps them: each API key stands for its own
 * project, and a resource is visible to that key alone (another key gets 403, as Google answers).
 */
export class FakeResources {
  readonly files = new Map<string, Owned<Json>>();
  readonly caches = new Map<string, Owned<Json>>();
  readonly batches = new Map<string, Owned<Json>>();
  readonly interactions = new Map<string, Owned<Json>>();
  readonly uploads = new Map<
    string,
    { owner: string; received: number; size: number; mimeType: string; displayName?: string }
  >();

  static id(): string {
    return randomBytes(6).toString('hex');
  }

  /** `files/abc` from a name or Google's file URI. */
  static fileName(uri: string): string | undefined {
    return /files\/([a-z0-9-]+)/.exec(uri)?.[0];
  }

  makeFile(
    owner: string,
    origin: string,
    size: number,
    mimeType: string,
    displayName?: string,
  ): Json {
    const id = FakeResources.id();
    const now = new Date();
    const file: Json = {
      name: `files/${id}`,
      ...(displayName ? { displayName } : {}),
      mimeType,
      sizeBytes: String(size),
      createTime: now.toISOString(),
      updateTime: now.toISOString(),
      expirationTime: new Date(now.getTime() + 48 * 3_600_000).toISOString(),
      sha256Hash: randomBytes(32).toString('base64'),
      uri: `${origin}/v1beta/files/${id}`,
      state: 'ACTIVE',
      source: 'UPLOADED',
    };
    this.files.set(`files/${id}`, { owner, value: file });
    return file;
  }

  /** Why `key` may not use what the generate body names, or undefined when it may. */
  generateProblem(key: string, body: Json): { status: number; message: string } | undefined {
    const cache = typeof body.cachedContent === 'string' ? body.cachedContent : undefined;
    if (cache && this.caches.get(cache)?.owner !== key) {
      return { status: 403, message: `CachedContent not found (or permission denied)` };
    }
    for (const name of fileNamesIn(body.contents)) {
      if (this.files.get(name)?.owner !== key) {
        return {
          status: 403,
          message: `You do not have permission to access the File ${name.slice(6)} or it may not exist.`,
        };
      }
    }
    return undefined;
  }
}

/** Every `fileData.fileUri` file name in `contents`. */
export function fileNamesIn(contents: unknown): string[] {
  const names: string[] = [];
  if (!Array.isArray(contents)) return names;
  for (const content of contents as { parts?: { fileData?: { fileUri?: unknown } }[] }[]) {
    for (const part of content?.parts ?? []) {
      const uri = part?.fileData?.fileUri;
      const name = typeof uri === 'string' ? FakeResources.fileName(uri) : undefined;
      if (name) names.push(name);
    }
  }
  return names;
}
