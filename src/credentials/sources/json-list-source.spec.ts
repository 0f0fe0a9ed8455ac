import { JsonListSource } from './json-list-source';
import {
  captureLog,
  DEFAULTS,
  generatedOAuthFile,
  serviceAccountKeyFile,
} from './source-spec-helpers';

describe('JsonListSource', () => {
  let log: ReturnType<typeof captureLog>;
  beforeEach(() => (log = captureLog()));
  afterEach(() => log.restore());

  const load = (entries: unknown[]) =>
    new JsonListSource({ entries, defaults: DEFAULTS, vertexLocation: 'global' }).load();

  it('reads OAuth grants and service-account keys, in order, with no file and no grant', async () => {
    const loaded = await load([generatedOAuthFile('ada'), serviceAccountKeyFile()]);
    expect(loaded).toEqual([
      { credential: expect.objectContaining({ kind: 'oauth', id: 'ada@example.com/proj-ada' }) },
      {
        credential: expect.objectContaining({
          kind: 'vertex',
          id: 'runner@my-proj.iam.gserviceaccount.com/global',
        }),
      },
    ]);
    expect(loaded.some(({ credential }) => 'sourceFile' in credential)).toBe(false);
  });

  it('takes the client from the defaults when a grant names none', async () => {
    const [loaded] = await load([{ refresh_token: '1//rt-bare' }]);
    expect(loaded.credential).toMatchObject({ clientId: 'default-client' });
  });

  it.each([
    ['a string', 'AIza-a-string', 'Skipping CREDENTIALS_JSON_LIST[0]: it is not a JSON object'],
    [
      'an API key',
      { api_key: 'AIza-in-list' },
      'Skipping CREDENTIALS_JSON_LIST[0]: API keys belong in GEMINI_API_KEYS',
    ],
    [
      'a broken service-account key',
      serviceAccountKeyFile({ private_key: undefined }),
      expect.stringMatching(
        /^Skipping CREDENTIALS_JSON_LIST\[0\]: it is a service-account key that /,
      ),
    ],
  ])('skips %s by its index, never quoting it', async (_, entry, line) => {
    await expect(load([entry])).resolves.toEqual([]);
    expect(log.lines).toEqual([line]);
    expect(log.lines.join('\n')).not.toMatch(/AIza/);
  });
});
