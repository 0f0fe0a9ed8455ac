import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SystemClock } from './clock';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { CredentialsService } from './credentials.service';
import { InMemoryPoolStateStore } from './pool-state-store';

const STALE_MS = 300;

function service(dir: string): CredentialsService {
  const clock = new SystemClock();
  return new CredentialsService(
    new CredentialPool(new InMemoryPoolStateStore(), clock),
    new CredentialFileStore(dir, STALE_MS),
    clock,
    {
      storagePath: dir,
      jsonList: [],
      apiKeys: [],
      googleCloudProject: undefined,
      vertexApiKeys: [],
      vertexLocation: 'global',
      applicationCredentials: undefined,
    },
    {
      clientId: 'client-id',
      clientSecret: 'client-secret',
      usesDefaultClient: false,
      authUrl: 'http://127.0.0.1:9/auth',
      tokenUrl: 'http://127.0.0.1:9/token',
      userInfoUrl: 'http://127.0.0.1:9/userinfo',
      redirectUri: 'http://localhost:7860/oauth2callback',
    },
  );
}

describe('CredentialsService and temporary files', () => {
  let dir: string;
  let credentials: CredentialsService | undefined;

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cs-'))));
  afterEach(async () => {
    await credentials?.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes back for a temporary file that was too young to remove at start-up', async () => {
    const temp = path.join(dir, '.oauth_creds_a_p.json.0123456789ab.tmp');
    writeFileSync(temp, JSON.stringify({ refresh_token: '1//rt-young' }));
    credentials = service(dir);
    await credentials.onModuleInit();
    expect(existsSync(temp)).toBe(true);
    expect(credentials.pool.list()).toEqual([]);
    const deadline = Date.now() + 3_000;
    while (existsSync(temp) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(temp)).toBe(false);
  });
});
