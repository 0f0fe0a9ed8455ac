import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pagesWithEnvTable, renderEnvTable, withEnvTable } from './env-table';

const root = join(__dirname, '../..');

describe('the configuration table', () => {
  it('is in the documentation exactly as the declarations write it (else: npm run docs:config)', () => {
    const pages = pagesWithEnvTable(root);
    expect(pages.map((page) => relative(root, page))).not.toEqual([]);
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      expect({ page: relative(root, page), text }).toEqual({
        page: relative(root, page),
        text: withEnvTable(text),
      });
    }
  });

  it.each([
    ['PORT', '`7860`'],
    ['GEMINI_API_KEYS', 'empty'],
    ['GOOGLE_CLOUD_PROJECT', 'unset'],
    ['REPLICA_ID', 'the hostname'],
    ['DEBUG', '`false`'],
  ])('shows the default of %s as %s', (name, shown) => {
    const row = renderEnvTable()
      .split('\n')
      .find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row?.endsWith(` | ${shown} |`)).toBe(true);
  });

  it('replaces only what lies between its markers', () => {
    const page = withEnvTable(
      'intro\n<!-- env-table: generated from src/config/environment-variables.ts by `npm run docs:config` -->\nstale\n<!-- /env-table -->\noutro\n',
    );
    expect(page).toMatch(/^intro\n<!-- env-table[^\n]*-->\n\| variable \|/);
    expect(page).toMatch(/\|\n<!-- \/env-table -->\noutro\n$/);
    expect(page).not.toContain('stale');
    expect(withEnvTable('no markers here')).toBeUndefined();
  });
});
