import type { ApiKeyEntry } from '../../config/env-values';
import { Credential } from '../credential';
import { apiKeyCredential } from '../credential-parser';
import { vertexExpressCredential } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';

/** GEMINI_API_KEYS (with each key's own proxy and limits) and VERTEX_API_KEYS (express mode). */
export class ApiKeySource implements CredentialSource {
  constructor(
    private readonly options: {
      geminiKeys: readonly ApiKeyEntry[];
      vertexKeys: readonly string[];
    },
  ) {}

  load(): Promise<LoadedCredential[]> {
    const credentials: Credential[] = [
      ...this.options.geminiKeys.map(geminiKeyCredential),
      ...this.options.vertexKeys.map(vertexExpressCredential),
    ];
    return Promise.resolve(credentials.map((credential) => ({ credential })));
  }
}

function geminiKeyCredential(entry: ApiKeyEntry): Credential {
  return {
    ...apiKeyCredential(entry.key),
    ...(entry.proxy !== undefined ? { proxy: entry.proxy } : {}),
    ...(entry.limits !== undefined ? { limits: entry.limits } : {}),
  };
}
