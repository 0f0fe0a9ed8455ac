import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import type { BenchAccount } from './fake-google-protocol';

// gemini-cli's public installed-app client, as the generator writes it.
const CLIENT_ID = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com';
const CLIENT_SECRET = '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';

export function benchAccounts(count: number): BenchAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `bench-${String(i).padStart(4, '0')}@example.com`,
    refreshToken: `1//bench-refresh-${i}`,
    projectId: `bench-project-${i}`,
  }));
}

interface MintedToken {
  accessToken: string;
  expiryDate: number;
}

/**
 * Asks the fake's token endpoint for an access token per account, as the proxy itself would, so
 * that the files already hold a live token and no refresh happens during a run.
 */
export async function mintAccessTokens(
  tokenUrl: string,
  accounts: BenchAccount[],
): Promise<MintedToken[]> {
  const minted: MintedToken[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const i = next++;
      const res = await request(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: accounts[i].refreshToken,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        }).toString(),
      });
      const body = (await res.body.json()) as { access_token?: string; expires_in?: number };
      if (res.statusCode !== 200 || !body.access_token) {
        throw new Error(
          `the fake's token endpoint answered ${res.statusCode} for ${accounts[i].email}`,
        );
      }
      minted[i] = {
        accessToken: body.access_token,
        expiryDate: Date.now() + (body.expires_in ?? 3600) * 1000,
      };
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return minted;
}

/** Writes one `oauth_creds_{email}_{project}.json` per account, in the generator's format. */
export function writeCredentialFiles(
  dir: string,
  accounts: BenchAccount[],
  tokens: MintedToken[],
): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  accounts.forEach((account, i) => {
    const safe = (s: string) => s.replace(/[@.]/g, '_');
    const file = path.join(
      dir,
      `oauth_creds_${safe(account.email)}_${safe(account.projectId)}.json`,
    );
    const body = {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      refresh_token: account.refreshToken,
      access_token: tokens[i].accessToken,
      expiry_date: tokens[i].expiryDate,
      token_type: 'Bearer',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      token_uri: 'https://oauth2.googleapis.com/token',
      project_id: account.projectId,
      user_email: account.email,
    };
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  });
}
