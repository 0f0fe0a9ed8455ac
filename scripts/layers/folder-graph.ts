import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { ROOT } from './layer-table';

/** One import that crosses folders, named by the file and line that makes it. */
export interface FolderImport {
  from: string;
  to: string;
  site: string;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The file a relative specifier names: `x.ts` beside it, else a folder's `index.ts`. */
function targetFile(path: string): string {
  return existsSync(`${path}.ts`) ? `${path}.ts` : join(path, 'index.ts');
}

/** The top folder of src/ a path lies in; ROOT for files directly in src/, undefined outside it. */
export function folderOf(srcDir: string, path: string): string | undefined {
  const parts = relative(srcDir, path).split(sep);
  if (parts[0] === '..' || parts[0] === '') return undefined;
  return parts.length === 1 ? ROOT : parts[0];
}

/** The folders of src/ (ROOT included when src/ holds files of its own). */
export function foldersOf(srcDir: string): string[] {
  const entries = readdirSync(srcDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  return entries.some((e) => e.isFile() && e.name.endsWith('.ts')) ? [ROOT, ...folders] : folders;
}

/** Every relative import in src/ (specs and type-only imports included) that leaves its folder. */
export function readFolderImports(srcDir: string): FolderImport[] {
  const root = resolve(srcDir);
  const out: FolderImport[] = [];
  for (const file of typeScriptFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const from = folderOf(root, file);
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const to = folderOf(root, targetFile(resolve(dirname(file), ref.fileName)));
      if (!from || !to || to === from) continue;
      const line = text.slice(0, ref.pos).split('\n').length;
      out.push({ from, to, site: `${relative(root, file)}:${line} '${ref.fileName}'` });
    }
  }
  return out;
}
