import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CredentialFileStore } from './credential-file-store';
import { CredentialWriteBack } from './credential-write-back';

describe('CredentialWriteBack', () => {
  let dir: string;
  let file: string;
  let writeBack: CredentialWriteBack;
  const grant = { refresh_token: '1//rt-ada', user_email: 'ada@example.com', custom: 'kept' };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'write-back-'));
    file = path.join(dir, 'oauth_creds_ada.json');
    writeFileSync(file, JSON.stringify(grant), { mode: 0o644 });
    writeBack = new CredentialWriteBack(new CredentialFileStore(dir));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

  it('merges the fields into the file, keeping every field it had, with mode 0600', async () => {
    writeBack.write(file, { access_token: 'ya29.a', expiry_date: 1_000 });
    await writeBack.flush();
    expect(read()).toEqual({ ...grant, access_token: 'ya29.a', expiry_date: 1_000 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['oauth_creds_ada.json']);
  });

  it('applies writes to one file in order, none lost', async () => {
    writeBack.write(file, { access_token: 'ya29.first', expiry_date: 1 });
    writeBack.write(file, { project_id: 'proj-ada' });
    writeBack.write(file, { access_token: 'ya29.last', expiry_date: 2 });
    await writeBack.flush();
    expect(read()).toEqual({
      ...grant,
      project_id: 'proj-ada',
      access_token: 'ya29.last',
      expiry_date: 2,
    });
  });

  it('ignores a credential with no file, and survives a file that is gone', async () => {
    writeBack.write(undefined, { project_id: 'p' });
    writeBack.write(path.join(dir, 'oauth_creds_gone.json'), { project_id: 'p' });
    await expect(writeBack.flush()).resolves.toBeUndefined();
    expect(readdirSync(dir)).toEqual(['oauth_creds_ada.json']);
  });
});
