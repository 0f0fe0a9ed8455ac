import { Logger } from '@nestjs/common';
import * as path from 'node:path';
import { shownField } from '../credential';
import { CredentialFileStore } from '../credential-file-store';
import { isServiceAccountKey, parseServiceAccount } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';
import { unreadable } from './unreadable';

/** The one key file GOOGLE_APPLICATION_CREDENTIALS names (Google's ADC convention). */
export class ApplicationCredentialsSource implements CredentialSource {
  private readonly logger = new Logger('Credentials');

  constructor(
    private readonly options: {
      file: string;
      files: CredentialFileStore;
      vertexLocation: string;
    },
  ) {}

  async load(): Promise<LoadedCredential[]> {
    const { file, files, vertexLocation } = this.options;
    const where = `GOOGLE_APPLICATION_CREDENTIALS (${shownField(path.basename(file))})`;
    let raw: unknown;
    try {
      raw = JSON.parse((await files.read(file)).text);
    } catch (error) {
      this.logger.warn(
        `Skipping ${where}: ${error instanceof SyntaxError ? 'it is not valid JSON' : unreadable(error)}`,
      );
      return [];
    }
    if (!isServiceAccountKey(raw)) {
      this.logger.warn(
        `Skipping ${where}: it is not a service-account key ("type": "service_account")`,
      );
      return [];
    }
    const result = parseServiceAccount(raw, vertexLocation);
    if (!result.ok) {
      this.logger.warn(`Skipping ${where}: it ${result.problem}`);
      return [];
    }
    return [{ credential: { ...result.credential, sourceFile: file } }];
  }
}
