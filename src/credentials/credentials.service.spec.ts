import { ConsoleLogger, Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ConfigType } from '@nestjs/config';
import * as path from 'node:path';
import { credentialsConfig } from '../config/configuration';
import { parseLimitTable } from '../config/quota-limits';
import { SystemClock } from '../time/clock';
import { CredentialFileStore } from './credential-file-store';
import { CredentialPool } from './credential-pool';
import { OAuthCredential } from './credential';
import { CredentialsService } from './credentials.service';
import { InMemoryPoolStateStore } from './pool-state-store';

const STALE_MS = 300;

/** The service over a folder, with the rest of the configuration at its defaults. */
function service(
  dir: string,
  config: Partial<ConfigType<typeof credentialsConfig>> = {},
): CredentialsService {
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
      ...config,
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

describe('CredentialsService composing its sources', () => {
  let dir: string;
  let credentials: CredentialsService | undefined;

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cs-sources-'))));
  afterEach(async () => {
    await credentials?.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pools the folder, then the Gemini keys with their proxy and limits, then Vertex keys', async () => {
    writeFileSync(
      path.join(dir, 'oauth_creds_ada.json'),
      JSON.stringify({ refresh_token: '1//rt-ada', user_email: 'ada@example.com' }),
    );
    const limits = parseLimitTable({ 'gemini-2.5-flash': { rpm: 5 } });
    credentials = service(dir, {
      apiKeys: [
        { key: 'AIza-plain-11111' },
        { key: 'AIza-own-22222', proxy: 'http://p:3128', limits },
      ],
      vertexApiKeys: ['AQ.express-33333'],
    });
    await credentials.onModuleInit();
    expect(credentials.pool.list()).toMatchObject([
      { kind: 'oauth', id: 'ada@example.com' },
      { kind: 'api-key', id: 'key...11111' },
      { kind: 'api-key', id: 'key...22222', proxy: 'http://p:3128', limits },
      { kind: 'vertex', mode: 'express' },
    ]);
  });

  it('reads CREDENTIALS_JSON_LIST instead of the folder when it is set', async () => {
    writeFileSync(
      path.join(dir, 'oauth_creds_ada.json'),
      JSON.stringify({ refresh_token: '1//rt-ada', user_email: 'ada@example.com' }),
    );
    credentials = service(dir, {
      jsonList: [{ refresh_token: '1//rt-bob', user_email: 'bob@example.com' }],
    });
    await credentials.onModuleInit();
    expect(credentials.pool.list().map((c) => c.id)).toEqual(['bob@example.com']);
  });
});

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

describe('CredentialsService on a folder shared with other replicas', () => {
  let dir: string;
  let credentials: CredentialsService;
  const file = () => path.join(dir, 'oauth_creds_ada_example_com_proj-ada.json');
  const grant = {
    client_id: 'client-id',
    client_secret: 'client-secret',
    refresh_token: '1//rt-shared-ada',
    project_id: 'proj-ada',
    user_email: 'ada@example.com',
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cs-shared-'));
    writeFileSync(file(), JSON.stringify(grant), { mode: 0o600 });
    credentials = service(dir);
    await credentials.onModuleInit();
    credentials.pool.disable('ada@example.com/proj-ada', {
      reason: 'SUBSCRIPTION_REQUIRED',
      message: 'needs a licence',
    });
  });
  afterEach(async () => {
    await credentials.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the token another replica wrote back, and keeps the credential’s state', async () => {
    const expiry = Date.now() + 3_600_000;
    writeFileSync(
      file(),
      JSON.stringify({ ...grant, access_token: 'ya29.from-replica-b', expiry_date: expiry }),
    );
    await credentials.reload();
    const [ada] = credentials.pool.list();
    expect(ada).toMatchObject({ accessToken: 'ya29.from-replica-b', expiryDate: expiry });
    expect(credentials.pool.isDisabled(ada.id)).toBe(true);
    // The token is fresh, so using it asks nobody for another (the token URL here is unreachable).
    await expect(credentials.accessToken(ada as OAuthCredential)).resolves.toBe(
      'ya29.from-replica-b',
    );
  });

  it('still gives the account a fresh start when the user changed anything else in the file', async () => {
    writeFileSync(file(), JSON.stringify({ ...grant, refresh_token: '1//rt-new-login' }));
    await credentials.reload();
    const [ada] = credentials.pool.list();
    expect(credentials.pool.isDisabled(ada.id)).toBe(false);
  });
});

describe('CredentialsService on a folder holding files that are not credentials to read', () => {
  let dir: string;
  let credentials: CredentialsService | undefined;
  let log: string[];
  const grant = (n: string) => ({
    client_id: 'client-id',
    client_secret: 'client-secret',
    refresh_token: `1//rt-${n}`,
    project_id: `proj-${n}`,
    user_email: `${n}@example.com`,
  });

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cs-special-'));
    log = [];
    const capture = (message: unknown) => void log.push(String(message));
    Logger.overrideLogger({ log: capture, warn: capture, error: capture });
    writeFileSync(path.join(dir, 'oauth_creds_ada.json'), JSON.stringify(grant('ada')));
    execFileSync('mkfifo', [path.join(dir, 'x.json')]);
    await fs.symlink('/dev/zero', path.join(dir, 'zero.json'));
    writeFileSync(path.join(dir, 'big.json'), `{"pad":"${'x'.repeat(1.5 * 1024 * 1024)}"}`);
  });

  afterEach(async () => {
    await credentials?.onApplicationShutdown();
    Logger.overrideLogger(new ConsoleLogger());
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the rest of the folder and names each file it skipped, and why', async () => {
    credentials = service(dir);
    await credentials.onModuleInit();
    expect(credentials.pool.list().map((c) => c.id)).toEqual(['ada@example.com/proj-ada']);
    expect(log).toEqual(
      expect.arrayContaining([
        'Skipping x.json: it is a named pipe, not a regular file',
        'Skipping zero.json: it is a device, not a regular file',
        expect.stringMatching(/^Skipping big\.json: it is larger than 1024 KiB/),
      ]),
    );
  });

  it('still reloads the folder, taking a file added beside them', async () => {
    credentials = service(dir);
    await credentials.onModuleInit();
    writeFileSync(path.join(dir, 'oauth_creds_bob.json'), JSON.stringify(grant('bob')));
    await credentials.reload();
    expect(credentials.pool.list().map((c) => c.id)).toEqual([
      'ada@example.com/proj-ada',
      'bob@example.com/proj-bob',
    ]);
  });
});
