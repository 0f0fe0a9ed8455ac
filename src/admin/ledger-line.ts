import type { LedgerStatus } from '../usage/usage-ledger';

/** The console's one line about the usage ledger: where it is, and whether it is behind and why. */
export interface LedgerLine {
  text: string;
  behind: boolean;
}

export function ledgerLine(status: LedgerStatus): LedgerLine {
  const where = `usage ledger: ${status.engine} (${status.location})`;
  const dropped = status.dropped > 0 ? `; ${status.dropped} rows dropped` : '';
  if (!status.behind && status.dropped === 0)
    return { text: `${where}, up to date`, behind: false };
  const waiting = `${status.pending} row${status.pending === 1 ? '' : 's'} waiting`;
  return {
    text: `${where} is behind: ${waiting}${dropped}${status.reason ? ` (${status.reason})` : ''}`,
    behind: true,
  };
}
