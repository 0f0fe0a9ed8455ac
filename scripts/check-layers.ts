import { resolve } from 'node:path';
import { checkLayers } from './layers/check';
import { foldersOf, readFolderImports } from './layers/folder-graph';

/**
 * `npm run lint`'s layer step: every import between the folders of src/ against the layer table
 * (scripts/layers/layer-table.ts), and the folder graph's cycles. Usage: check-layers [srcDir].
 */
const srcDir = resolve(process.argv[2] ?? 'src');
const report = checkLayers(foldersOf(srcDir), readFolderImports(srcDir));

for (const folder of report.unplaced) {
  console.error(
    `src/${folder}/ has no layer: give it a ring by its role in scripts/layers/layer-table.ts`,
  );
}
for (const line of report.violations) console.error(line);
for (const cycle of report.cycles) console.error(`folder cycle: ${cycle}`);
console.log(
  `layers: ${report.folders} folders, ${report.edges} folder imports, ` +
    `${report.cycles.length === 0 ? 'no folder cycle' : `${report.cycles.length} folder cycle(s)`}, ` +
    `${report.violations.length + report.unplaced.length} layer violation(s)`,
);
if (report.unplaced.length + report.violations.length + report.cycles.length > 0) {
  process.exitCode = 1;
}
