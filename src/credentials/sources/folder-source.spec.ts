import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CredentialFileStore } from '../credential-file-store';
import { FolderSource, grantDigest } from './folder-source';
import {
  captureLog,
  DEFAULTS,
  generatedOAuthFile,
  serviceAccountKeyFile,
} from './source-spec-helpers';

describe('FolderSource', () => {
  let dir: string;
  let log: ReturnType<typeof captureLog>;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'folder-source-'));
    log = captureLog();
  });
  afterEach(() => {
    log.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  const put = (name: string, content: unknown) =>
    writeFileSync(
      path.join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  const load = () =>
    new FolderSource({
      files: new CredentialFileStore(dir),
      defaults: DEFAULTS,
      vertexLocation: 'us-central1',
    }).load();

  it('reads OAuth files by name and service-account keys by content, each with its file', async () => {
    put('oauth_creds_ada.json', generatedOAuthFile('ada'));
    put('my-key.json', serviceAccountKeyFile());
    const loaded = await load();
    expect(loaded.map(({ credential }) => credential)).toMatchObject([
      {
        kind: 'vertex',
        id: 'runner@my-proj.iam.gserviceaccount.com/us-central1',
        sourceFile: path.join(dir, 'my-key.json'),
      },
      {
        kind: 'oauth',
        id: 'ada@example.com/proj-ada',
        sourceFile: path.join(dir, 'oauth_creds_ada.json'),
      },
    ]);
    expect(loaded[1].grant).toBe(grantDigest(generatedOAuthFile('ada')));
  });

  it.each([
    ['oauth_creds_bad.json', '{not json', 'Skipping oauth_creds_bad.json: it is not valid JSON'],
    [
      'oauth_creds_none.json',
      { client_id: 'x' },
      'Skipping oauth_creds_none.json: it has no refresh_token',
    ],
    [
      'oauth_creds_key.json',
      { api_key: 'AIza-in-a-file' },
      'Skipping oauth_creds_key.json: it holds an API key; use GEMINI_API_KEYS',
    ],
    [
      'broken-key.json',
      serviceAccountKeyFile({ client_email: undefined }),
      'Skipping broken-key.json: it is a service-account key that has no client_email',
    ],
  ])('skips %s and says why', async (name, content, line) => {
    put(name, content);
    await expect(load()).resolves.toEqual([]);
    expect(log.lines).toContain(line);
    expect(log.lines.join('\n')).not.toMatch(/AIza-in-a-file/);
  });

  it('marks a file that holds exactly what this store last wrote to it', async () => {
    const files = new CredentialFileStore(dir);
    put('oauth_creds_ada.json', generatedOAuthFile('ada'));
    await files.writeJson(path.join(dir, 'oauth_creds_bob.json'), generatedOAuthFile('bob'));
    const source = new FolderSource({ files, defaults: DEFAULTS, vertexLocation: 'global' });
    const loaded = await source.load();
    expect(loaded.map(({ credential, ownWrite }) => [credential.id, ownWrite])).toEqual([
      ['ada@example.com/proj-ada', undefined],
      ['bob@example.com/proj-bob', true],
    ]);
  });

  it('leaves other JSON in the folder alone, silently', async () => {
    put('package.json', { name: 'not-a-credential' });
    await expect(load()).resolves.toEqual([]);
    expect(log.lines).toEqual([]);
  });
});

describe('grantDigest', () => {
  const grant = generatedOAuthFile('ada');

  it.each([
    ['a written-back token', { ...grant, access_token: 'ya29.x', expiry_date: 1 }, true],
    ['a written-back project', { ...grant, project_id: 'other' }, true],
    ['the same fields in another order', Object.fromEntries(Object.entries(grant).reverse()), true],
    ['a new refresh token', { ...grant, refresh_token: '1//rt-new' }, false],
    ['another client', { ...grant, client_id: 'other-client' }, false],
  ])('after %s, is the same: %s', (_, changed, same) => {
    expect(grantDigest(changed) === grantDigest(grant)).toBe(same);
  });
});
