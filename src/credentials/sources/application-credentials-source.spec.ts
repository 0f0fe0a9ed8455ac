import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CredentialFileStore } from '../credential-file-store';
import { ApplicationCredentialsSource } from './application-credentials-source';
import { captureLog, generatedOAuthFile, serviceAccountKeyFile } from './source-spec-helpers';

describe('ApplicationCredentialsSource', () => {
  let dir: string;
  let log: ReturnType<typeof captureLog>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'adc-source-'));
    log = captureLog();
  });
  afterEach(() => {
    log.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  const loadFrom = (content: unknown) => {
    const file = path.join(dir, 'adc.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return new ApplicationCredentialsSource({
      file,
      files: new CredentialFileStore(dir),
      vertexLocation: 'europe-west4',
    }).load();
  };

  it('reads the key file as a Vertex credential in the default location, with its file', async () => {
    await expect(loadFrom(serviceAccountKeyFile())).resolves.toEqual([
      {
        credential: expect.objectContaining({
          kind: 'vertex',
          mode: 'service-account',
          id: 'runner@my-proj.iam.gserviceaccount.com/europe-west4',
          sourceFile: path.join(dir, 'adc.json'),
        }),
      },
    ]);
  });

  it.each([
    ['not JSON', '{', 'it is not valid JSON'],
    [
      'an OAuth grant',
      generatedOAuthFile('ada'),
      'it is not a service-account key ("type": "service_account")',
    ],
    [
      'a key without its project',
      serviceAccountKeyFile({ project_id: undefined }),
      'it has no project_id',
    ],
  ])('skips a file that is %s and says why', async (_, content, why) => {
    await expect(loadFrom(content)).resolves.toEqual([]);
    expect(log.lines).toEqual([`Skipping GOOGLE_APPLICATION_CREDENTIALS (adc.json): ${why}`]);
  });
});
