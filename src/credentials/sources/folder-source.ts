import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { shownField } from '../credential';
import { CredentialFileStore, OAUTH_FILE_PATTERN } from '../credential-file-store';
import { parseCredential, ParseDefaults } from '../credential-parser';
import { isServiceAccountKey, parseServiceAccount } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';
import { unreadable } from './unreadable';

/** The fields a replica writes back; a change elsewhere in the file is the user's. */
export const WRITTEN_BACK_FIELDS: ReadonlySet<string> = new Set([
  'access_token',
  'expiry_date',
  'project_id',
]);

/**
 * PERSISTENT_STORAGE_PATH: OAuth files named `oauth_creds_*.json`, and service-account keys in any
 * `*.json`, known by their content.
 */
export class FolderSource implements CredentialSource {
  private readonly logger = new Logger('Credentials');

  constructor(
    private readonly options: {
      files: CredentialFileStore;
      defaults: ParseDefaults;
      vertexLocation: string;
    },
  ) {}

  async load(): Promise<LoadedCredential[]> {
    const { files } = this.options;
    await files.ensureDir().catch(() => undefined);
    // Every read at once: one after another, 1,000 files cost 1,000 thread-pool round trips at boot.
    const list = await files.list();
    const reads = await Promise.allSettled(list.map((file) => files.read(file)));
    const out: LoadedCredential[] = [];
    for (const [i, file] of list.entries()) {
      const read = reads[i];
      const loaded =
        read.status === 'rejected'
          ? this.skip(file, unreadable(read.reason))
          : this.parse(file, read.value.text);
      if (loaded) out.push(loaded);
    }
    return out;
  }

  private parse(file: string, text: string): LoadedCredential | undefined {
    const fileName = path.basename(file);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.skip(file, 'it is not valid JSON');
    }
    // Service-account keys are known by their content, whatever the file is called.
    if (isServiceAccountKey(raw)) {
      const account = parseServiceAccount(raw, this.options.vertexLocation);
      if (!account.ok)
        return this.skip(file, `it is a service-account key that ${account.problem}`);
      return { credential: { ...account.credential, sourceFile: file } };
    }
    // Any other JSON in the folder that is not named as a credential is somebody else's file.
    if (!OAUTH_FILE_PATTERN.test(fileName)) return undefined;
    const result = parseCredential(raw, this.options.defaults);
    if (!result.ok) return this.skip(file, `it ${result.problem}`);
    if (result.credential.kind !== 'oauth') {
      return this.skip(file, 'it holds an API key; use GEMINI_API_KEYS');
    }
    return {
      credential: { ...result.credential, sourceFile: file },
      grant: grantDigest(raw),
      ...(this.options.files.isOwnWrite(file, text) ? { ownWrite: true } : {}),
    };
  }

  private skip(file: string, why: string): undefined {
    // File names reach the log: bounded, and without a newline that would forge a line.
    this.logger.warn(`Skipping ${shownField(path.basename(file))}: ${why}`);
    return undefined;
  }
}

/** The file's content without its written-back fields, so that a write-back leaves it unchanged. */
export function grantDigest(raw: unknown): string {
  const fields =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.entries(raw as Record<string, unknown>)
          .filter(([key]) => !WRITTEN_BACK_FIELDS.has(key))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : [];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
