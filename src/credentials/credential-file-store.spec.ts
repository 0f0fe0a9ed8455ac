import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { credentialFileName, CredentialFileStore } from './credential-file-store';

describe('CredentialFileStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'cfs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists only credential files, sorted', async () => {
    for (const n of [
      'oauth_creds_b.json',
      'oauth_creds_a.json',
      'oauth_creds.json',
      'notes.txt',
      'other.json',
    ]) {
      writeFileSync(path.join(dir, n), '{}');
    }
    const names = (await new CredentialFileStore(dir).list()).map((f) => path.basename(f));
    expect(names).toEqual(['oauth_creds.json', 'oauth_creds_a.json', 'oauth_creds_b.json']);
  });

  it('lists nothing for a folder that does not exist', async () => {
    expect(await new CredentialFileStore(path.join(dir, 'missing')).list()).toEqual([]);
  });

  it('writes with mode 0600 and leaves no temporary file', async () => {
    const store = new CredentialFileStore(dir);
    const file = path.join(dir, 'oauth_creds_x.json');
    await store.writeJson(file, { refresh_token: 'r' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['oauth_creds_x.json']);
  });

  it('recognises its own last write', async () => {
    const store = new CredentialFileStore(dir);
    const file = path.join(dir, 'oauth_creds_x.json');
    await store.writeJson(file, { a: 1 });
    const { text } = await store.read(file);
    expect(store.isOwnWrite(file, text)).toBe(true);
    expect(store.isOwnWrite(file, '{"a":2}')).toBe(false);
  });
});

describe('credentialFileName', () => {
  it.each([
    ['ada@example.com', 'proj-1', 'oauth_creds_ada_example_com_proj-1.json'],
    ['o’brien+tag@mail.co.uk', 'my project', 'oauth_creds_obrientag_mail_co_uk_myproject.json'],
    [undefined, undefined, 'oauth_creds_unspecified_unspecified.json'],
    ['../../etc/passwd', 'x/y', 'oauth_creds_____etcpasswd_xy.json'],
  ])('names %j / %j safely', (email, project, name) => {
    expect(credentialFileName(email, project)).toBe(name);
  });
});
