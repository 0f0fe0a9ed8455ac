import { parseCredential, uniqueIds } from './credential-parser';

const defaults = { clientId: 'default-id', clientSecret: 'default-secret' };

describe('parseCredential', () => {
  it('reads the generator file shape', () => {
    const r = parseCredential(
      {
        client_id: 'cid',
        client_secret: 'cs',
        refresh_token: '1//rt-abcdef',
        token_uri: 'https://oauth2.googleapis.com/token',
        project_id: 'proj-1',
        user_email: 'a@example.com',
      },
      defaults,
    );
    expect(r).toEqual({
      ok: true,
      credential: expect.objectContaining({
        kind: 'oauth',
        id: 'a@example.com/proj-1',
        clientId: 'cid',
        refreshToken: '1//rt-abcdef',
        projectId: 'proj-1',
        email: 'a@example.com',
      }),
    });
  });

  it('reads gemini-cli’s own oauth_creds.json with the default client', () => {
    const r = parseCredential(
      {
        access_token: 'ya29.x',
        refresh_token: '1//rt',
        scope: 's',
        token_type: 'Bearer',
        expiry_date: 1750000000000,
      },
      defaults,
    );
    expect(r.ok && r.credential).toMatchObject({
      kind: 'oauth',
      clientId: 'default-id',
      clientSecret: 'default-secret',
      accessToken: 'ya29.x',
      expiryDate: 1750000000000,
    });
  });

  it('reads the older token/expiry shape with an ISO date', () => {
    const r = parseCredential(
      { token: 'ya29.y', refresh_token: '1//rt', expiry: '2026-01-01T00:00:00' },
      defaults,
    );
    expect(r.ok && r.credential).toMatchObject({
      accessToken: 'ya29.y',
      expiryDate: Date.parse('2026-01-01T00:00:00Z'),
    });
  });

  it('reads an API key entry', () => {
    const r = parseCredential({ api_key: 'AIzaKey-12345' }, defaults);
    expect(r.ok && r.credential).toEqual({
      kind: 'api-key',
      id: 'key...12345',
      apiKey: 'AIzaKey-12345',
    });
  });

  it('names a credential without an email by the end of its refresh token only', () => {
    const r = parseCredential({ refresh_token: '1//very-secret-token-XYZ12' }, defaults);
    expect(r.ok && r.credential.id).toBe('oauth...XYZ12');
  });

  it.each([
    [null, 'is not a JSON object'],
    [[], 'is not a JSON object'],
    ['text', 'is not a JSON object'],
    [{ client_id: 'x' }, 'has no refresh_token'],
    [{ refresh_token: '   ' }, 'has no refresh_token'],
  ])('rejects %j because it %s', (raw, problem) => {
    expect(parseCredential(raw, defaults)).toEqual({ ok: false, problem });
  });
});

describe('parseCredential with its own proxy (DESIGN §14)', () => {
  it.each([
    ['an OAuth file', { refresh_token: '1//rt-abcdef', proxy: 'socks5://u:p@10.0.0.5:1080' }],
    ['an API-key file', { api_key: 'AIza-key-12345', proxy: 'socks5://u:p@10.0.0.5:1080' }],
  ])('reads the proxy of %s', (_case, raw) => {
    const r = parseCredential(raw, defaults);
    expect(r).toEqual({
      ok: true,
      credential: expect.objectContaining({ proxy: 'socks5://u:p@10.0.0.5:1080' }),
    });
  });

  it('skips a file whose proxy is no proxy URL, without quoting it', () => {
    const r = parseCredential(
      { refresh_token: '1//rt-abcdef', proxy: 'ftp://u:swordfish@host' },
      defaults,
    );
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toMatch(/has a proxy that does not look like/);
    expect(JSON.stringify(r)).not.toContain('swordfish');
  });
});

describe('uniqueIds', () => {
  it('suffixes repeated ids', () => {
    const c = { kind: 'api-key' as const, id: 'same', apiKey: 'k' };
    expect(uniqueIds([c, c, c]).map((x) => x.id)).toEqual(['same', 'same#2', 'same#3']);
  });
});

describe('parseCredential with fields no account has', () => {
  it.each([
    ['a 1 MB user_email', { user_email: `${'a'.repeat(1024 * 1024)}@x.com` }],
    ['a user_email with a newline', { user_email: 'ada@x.com\nFORGED' }],
    ['a 1 MB project_id', { project_id: 'p'.repeat(1024 * 1024) }],
  ])('skips a file with %s, in a short message', (_what, patch) => {
    const result = parseCredential({ refresh_token: '1//rt', ...patch }, defaults);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem.length).toBeLessThan(200);
  });
});
