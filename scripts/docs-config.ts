// Rewrites the configuration table in the pages that hold its markers, from the declarations.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pagesWithEnvTable, withEnvTable } from '../src/config/env-table';

const root = join(__dirname, '..');
const pages = pagesWithEnvTable(root);
if (pages.length === 0) {
  console.error('No page holds the configuration table markers (README.md, docs/*.md).');
  process.exit(1);
}
for (const page of pages) {
  const before = readFileSync(page, 'utf8');
  const after = withEnvTable(before) ?? before;
  if (after !== before) writeFileSync(page, after);
  console.log(`${relative(root, page)}: ${after === before ? 'up to date' : 'table rewritten'}`);
}
