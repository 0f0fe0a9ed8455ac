import { deriveSealKey, ReasoningSeal } from './reasoning-seal';

const payload = { model: 'gemini-3-pro-preview', signatures: { call_1: 'c2ln' } };

describe('ReasoningSeal', () => {
  const seal = new ReasoningSeal(deriveSealKey('proxy-password'));

  it('opens what it sealed', () => {
    expect(seal.open(seal.seal(payload))).toEqual(payload);
  });

  it('hides the signatures from the client', () => {
    const token = seal.seal(payload);
    expect(token).toMatch(/^gp1\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('c2ln');
    expect(Buffer.from(token.slice(4), 'base64url').toString('latin1')).not.toContain('call_1');
  });

  it('seals the same payload differently each time (a fresh IV)', () => {
    expect(seal.seal(payload)).not.toBe(seal.seal(payload));
  });

  it('opens a token sealed by another process with the same password', () => {
    const other = new ReasoningSeal(deriveSealKey('proxy-password'));
    expect(other.open(seal.seal(payload))).toEqual(payload);
  });

  it.each([
    [
      'a token sealed under another password',
      new ReasoningSeal(deriveSealKey('other')).seal(payload),
    ],
    ['a token with one byte flipped', flip(seal.seal(payload))],
    ['an OpenAI encrypted_content', 'gAAAAABo-openai-opaque'],
    ['a truncated token', 'gp1.AAAA'],
    ['no token at all', null],
  ])('ignores %s', (_name, token) => {
    expect(seal.open(token)).toBeUndefined();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new ReasoningSeal(Buffer.alloc(16))).toThrow(RangeError);
  });
});

function flip(token: string): string {
  const raw = Buffer.from(token.slice(4), 'base64url');
  raw[raw.length - 1] ^= 1;
  return `gp1.${raw.toString('base64url')}`;
}
