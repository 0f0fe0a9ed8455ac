import type { ApiKeyEntry } from '../../config/env-values';
import { Credential } from '../credential';
import { apiKeyCredential } from '../credential-parser';
import { vertexExpressCredential } from '../service-account';
import { CredentialSource, LoadedCredential } from './credential-source';

/**
 * GEMINI_API_KEYS (with each key's own proxy, limits and project) and VERTEX_API_KEYS (express
 * mode).
 */
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

function geminiKeyCredential({ key, proxy, ...declared }: ApiKeyEntry): Credential {
  return { ...apiKeyCredential(key, declared), ...(proxy !== undefined ? { proxy } : {}) };
}
