import { Logger } from '@nestjs/common';
import { parseCredential, ParseDefaults } from '../credential-parser';
import { isServiceAccountKey, parseServiceAccount } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';

/** CREDENTIALS_JSON_LIST: OAuth grants and service-account keys inline; it replaces the folder. */
export class JsonListSource implements CredentialSource {
  private readonly logger = new Logger('Credentials');

  constructor(
    private readonly options: {
      entries: readonly unknown[];
      defaults: ParseDefaults;
      vertexLocation: string;
    },
  ) {}

  load(): Promise<LoadedCredential[]> {
    const out: LoadedCredential[] = [];
    this.options.entries.forEach((raw, i) => {
      const where = `CREDENTIALS_JSON_LIST[${i}]`;
      if (isServiceAccountKey(raw)) {
        const account = parseServiceAccount(raw, this.options.vertexLocation);
        if (account.ok) out.push({ credential: account.credential });
        else
          this.logger.warn(
            `Skipping ${where}: it is a service-account key that ${account.problem}`,
          );
        return;
      }
      const result = parseCredential(raw, this.options.defaults);
      if (!result.ok) {
        this.logger.warn(`Skipping ${where}: it ${result.problem}`);
      } else if (result.credential.kind === 'oauth') {
        out.push({ credential: result.credential });
      } else {
        this.logger.warn(`Skipping ${where}: API keys belong in GEMINI_API_KEYS`);
      }
    });
    return Promise.resolve(out);
  }
}
