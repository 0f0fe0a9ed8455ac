import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeclaredVariable, declaredVariables } from './env-declaration';
import { EnvironmentVariables } from './environment-variables';

/**
 * The documentation's configuration table, written from the declarations between two markers in
 * whichever page holds them (README.md or docs/*.md); `npm run docs:config` rewrites it and a
 * spec fails while it differs.
 */
export const TABLE_START =
  '<!-- env-table: generated from src/config/environment-variables.ts by `npm run docs:config` -->';
export const TABLE_END = '<!-- /env-table -->';

export function renderEnvTable(): string {
  const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
  const rows = declaredVariables(EnvironmentVariables).map(
    (v) => `| \`${v.name}\` | ${cell(v.doc)} | ${cell(shownDefault(v, defaults[v.name]))} |`,
  );
  return ['| variable | meaning | default |', '|---|---|---|', ...rows].join('\n');
}

/** `page` with the text between the markers replaced by the table; undefined without markers. */
export function withEnvTable(page: string): string | undefined {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END, start);
  if (start < 0 || end < 0) return undefined;
  const before = page.slice(0, start + TABLE_START.length);
  return `${before}\n${renderEnvTable()}\n${page.slice(end)}`;
}

/** The pages under `root` that hold the table's markers. */
export function pagesWithEnvTable(root: string): string[] {
  const docs = join(root, 'docs');
  const candidates = [
    join(root, 'README.md'),
    ...readdirSync(docs)
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(docs, f)),
  ];
  return candidates.filter((file) => readFileSync(file, 'utf8').includes(TABLE_START));
}

function shownDefault(variable: DeclaredVariable, value: unknown): string {
  if (variable.defaultText !== undefined) return variable.defaultText;
  if (value === undefined) return 'unset';
  if (value === '') return 'empty';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

const cell = (text: string): string => text.replaceAll('|', '\\|');
