import { redactDatabaseUrl, withoutSecret } from './database-url';

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://proxy:s3cret@db:5432/ledger', 'postgres://proxy:***@db:5432/ledger'],
    ['postgresql://proxy@db/ledger', 'postgresql://proxy@db/ledger'],
    ['postgres://u:p%40ss@db/x?sslmode=require', 'postgres://u:***@db/x?sslmode=require'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });

  it('shows nothing of a URL it cannot parse', () => {
    expect(redactDatabaseUrl('postgres://u:secret@[bad')).not.toContain('secret');
  });
});

describe('withoutSecret', () => {
  it("cuts every copy of the password out of a driver's message", () => {
    expect(withoutSecret('auth failed for s3cret (s3cret)', 's3cret')).toBe(
      'auth failed for *** (***)',
    );
  });
});
