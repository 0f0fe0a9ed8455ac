import { Credential, secretSuffix, shownField } from './credential';

const HEADER = ['KIND', 'ACCOUNT', 'PROJECT', 'LOCATION'];

/**
 * The start-up table: kind, account e-mail (or a secret's last five characters), project and
 * location per credential, each cell bounded. Never a refresh token, a key or a private key.
 */
export function credentialTable(list: readonly Credential[]): string {
  const rows = list.map((c) => tableRow(c).map((cell) => shownField(cell)));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [HEADER, ...rows].map(line).join('\n');
}

function tableRow(c: Credential): string[] {
  switch (c.kind) {
    case 'oauth':
      return [
        'oauth',
        c.email ?? `refresh ${secretSuffix(c.refreshToken)}`,
        c.projectId ?? '(discover on first use)',
        '-',
      ];
    case 'api-key':
      return ['api-key', secretSuffix(c.apiKey), '-', '-'];
    case 'vertex':
      return c.mode === 'service-account'
        ? ['vertex', c.clientEmail, c.projectId, c.location]
        : ['vertex', `express key ${secretSuffix(c.apiKey)}`, '-', c.location];
  }
}
