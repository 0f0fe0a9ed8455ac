import { newSecret, secretHash, secretHint } from './client-key';

describe('client key secrets', () => {
  it('are sk-gp- and 43 base62 characters, different each time', () => {
    const secrets = new Set(Array.from({ length: 200 }, newSecret));
    expect(secrets.size).toBe(200);
    for (const s of secrets) expect(s).toMatch(/^sk-gp-[0-9A-Za-z]{43}$/);
  });

  it('are stored as a SHA-256 that does not contain them, and shown by 4 characters', () => {
    const secret = newSecret();
    expect(secretHash(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash(secret)).not.toContain(secret.slice(6, 12));
    expect(secretHint(secret)).toBe(secret.slice(-4));
  });
});
