import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkLayers } from '../scripts/layers/check';
import { foldersOf, readFolderImports } from '../scripts/layers/folder-graph';

const root = join(__dirname, '..');
const run = promisify(execFile);

const check = (srcDir: string) => checkLayers(foldersOf(srcDir), readFolderImports(srcDir));

describe('the layers of src/', () => {
  it('hold: every folder placed, no import against them, no folder cycle', () => {
    const report = check(join(root, 'src'));
    expect(report).toMatchObject({ unplaced: [], violations: [], cycles: [] });
    expect(report.folders).toBeGreaterThan(20);
  });
});

describe('the layer check on a copy of src/ with a planted import', () => {
  let src: string;
  beforeEach(() => {
    src = join(mkdtempSync(join(tmpdir(), 'layers-')), 'src');
    cpSync(join(root, 'src'), src, { recursive: true });
  });
  afterEach(() => rmSync(join(src, '..'), { recursive: true, force: true }));

  const plant = (file: string, line: string) => appendFileSync(join(src, file), `\n${line}\n`);

  it('refuses the domain importing a feature, naming the file and line', () => {
    plant('credentials/credential-pool.ts', "import '../openai/openai.module';");
    const report = check(src);
    expect(report.violations).toEqual([
      expect.stringMatching(
        /^src\/credentials\/credential-pool\.ts:\d+ '\.\.\/openai\/openai\.module': domain \(credentials\) may not import features \(openai\)/,
      ),
    ]);
  });

  it('refuses one feature importing another the table does not name', () => {
    plant('gemini/gemini.service.ts', "import '../anthropic/anthropic.module';");
    expect(check(src).violations).toEqual([
      expect.stringContaining('one feature does not import another (gemini → anthropic)'),
    ]);
  });

  it('refuses an import up its own ring, and prints the folder cycle it closes', () => {
    plant('config/configuration.ts', "import '../models/model-aliases';");
    const report = check(src);
    expect(report.violations).toEqual([
      expect.stringContaining('infrastructure (config) may not import domain (models)'),
    ]);
    expect(report.cycles).toEqual([expect.stringContaining('config ⇄')]);
  });

  it('refuses a folder the table does not place', () => {
    mkdirSync(join(src, 'gadgets'));
    writeFileSync(join(src, 'gadgets', 'gadget.ts'), 'export const gadget = 1;\n');
    expect(check(src).unplaced).toEqual(['gadgets']);
  });

  it('fails the lint step (npm run lint:layers) and says why', async () => {
    plant('upstream/dispatcher.ts', "import '../http/reply';");
    const failure = run(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/check-layers.ts', src],
      { cwd: root },
    );
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('the Express edge is for features and services'),
      stdout: expect.stringContaining('1 layer violation(s)'),
    });
  });
});
