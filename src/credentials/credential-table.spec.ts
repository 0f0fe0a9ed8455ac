import { Credential } from './credential';
import { credentialTable } from './credential-table';

const REFRESH = '1//refresh-token-SECRET-abcde';
const KEY = 'AIzaGeminiKeySECRET-fghij';
const EXPRESS = 'AQ.Ab8ExpressSECRET-klmno';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvSECRET\n-----END PRIVATE KEY-----\n';

const LIST: Credential[] = [
  {
    kind: 'oauth',
    id: 'a',
    clientId: 'c',
    clientSecret: 's',
    refreshToken: REFRESH,
    email: 'ada@x.com',
  },
  { kind: 'api-key', id: 'k', apiKey: KEY },
  {
    kind: 'vertex',
    mode: 'service-account',
    id: 'sa',
    clientEmail: 'sa@p.iam.gserviceaccount.com',
    privateKey: PEM,
    projectId: 'p',
    location: 'europe-west4',
  },
  { kind: 'vertex', mode: 'express', id: 'x', apiKey: EXPRESS, location: 'global' },
];

describe('credentialTable', () => {
  const table = credentialTable(LIST);

  it('lists kind, account, project and location per credential', () => {
    expect(table.split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['KIND', 'ACCOUNT', 'PROJECT', 'LOCATION'],
      ['oauth', 'ada@x.com', '(discover on first use)', '-'],
      ['api-key', '...fghij', '-', '-'],
      ['vertex', 'sa@p.iam.gserviceaccount.com', 'p', 'europe-west4'],
      ['vertex', 'express key ...klmno', '-', 'global'],
    ]);
  });

  it('shows no secret beyond its last five characters', () => {
    expect(table).not.toMatch(/SECRET|PRIVATE KEY/);
  });
});

describe('credentialTable with fields no account has', () => {
  it('cuts every cell to a bounded width with an ellipsis, and keeps each row on one line', () => {
    const huge = `${'a'.repeat(4 * 1024 * 1024)}@p.iam.gserviceaccount.com`;
    const table = credentialTable([
      { ...(LIST[2] as Extract<Credential, { mode: 'service-account' }>), clientEmail: huge },
      { ...(LIST[0] as Extract<Credential, { kind: 'oauth' }>), email: 'ada@x.com\nFORGED line' },
    ]);
    expect(table.length).toBeLessThan(1_000);
    expect(table).toContain('…');
    expect(table.split('\n')).toHaveLength(3);
  });
});
