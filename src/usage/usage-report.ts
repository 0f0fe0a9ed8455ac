import { ApiProperty } from '@nestjs/swagger';
import type { UsageGroup, UsageTotalRow } from './usage-repository';
import type { Bucket } from './usage-totals';

export class UsageReportRow {
  @ApiProperty({ description: "The bucket's start, ISO 8601 UTC" }) start!: string;
  @ApiProperty({ description: "The group's value: a credential id, model, client or dialect" })
  key!: string;
  @ApiProperty() requests!: number;
  @ApiProperty({ description: 'Failures other than 429' }) errors!: number;
  @ApiProperty({ description: 'Answers with status 429' }) rate_limited!: number;
  @ApiProperty({ description: "Google's promptTokenCount (cached tokens included)" })
  prompt_tokens!: number;
  @ApiProperty({ description: "Google's candidatesTokenCount (thoughts excluded)" })
  output_tokens!: number;
  @ApiProperty({ description: "Google's thoughtsTokenCount" }) thought_tokens!: number;
  @ApiProperty({ description: "Google's cachedContentTokenCount" }) cached_tokens!: number;
}

export class UsageReport {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['hour', 'day'] }) bucket!: Bucket;
  @ApiProperty({ enum: ['credential', 'model', 'client', 'dialect'] }) group!: UsageGroup;
  @ApiProperty({ type: [UsageReportRow] }) rows!: UsageReportRow[];
}

export const CSV_COLUMNS: readonly (keyof UsageReportRow)[] = [
  'start',
  'key',
  'requests',
  'errors',
  'rate_limited',
  'prompt_tokens',
  'output_tokens',
  'thought_tokens',
  'cached_tokens',
];

export function reportRow(row: UsageTotalRow): UsageReportRow {
  return { ...row, start: new Date(row.start).toISOString() };
}

/** The rows as CSV with a header line (RFC 4180 quoting). */
export function toCsv(rows: readonly UsageReportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A model name a client chose must not become a formula in a spreadsheet.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
