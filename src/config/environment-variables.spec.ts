import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Validator } from 'class-validator/cjs/validation/Validator';
import { declaredVariables } from './env-declaration';
import { EnvironmentVariables } from './environment-variables';

const root = join(__dirname, '../..');

describe('EnvironmentVariables', () => {
  const declared = declaredVariables(EnvironmentVariables).map((v) => v.name);

  it('documents every field it has, once', () => {
    expect(new Set(declared).size).toBe(declared.length);
    expect(Object.keys(new EnvironmentVariables()).filter((k) => !declared.includes(k))).toEqual(
      [],
    );
  });

  it('checks every variable it declares: an object where a string belongs fails each one', () => {
    const env = new EnvironmentVariables() as unknown as Record<string, unknown>;
    for (const name of declared) env[name] = { not: 'a string' };
    const failed = new Validator().validateSync(env).map((error) => error.property);
    expect(declared.filter((name) => !failed.includes(name))).toEqual([]);
  });

  it("loads neither class-validator's index nor libphonenumber-js (about 90 ms of start-up)", () => {
    const script = `require('./src/config/configuration').checkEnvironment();
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify(loaded.filter((f) => /libphonenumber-js|class-validator[\\\\/]cjs[\\\\/]index/.test(f))));`;
    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: root, env: { PATH: process.env.PATH ?? '', PERSISTENT_STORAGE_PATH: root } },
    );
    expect(JSON.parse(output.toString())).toEqual([]);
  });
});

describe('process.env', () => {
  it('is read only under src/config', () => {
    const readers = sourceFiles(join(root, 'src'))
      .filter((file) => !file.startsWith(join(root, 'src', 'config')))
      .filter((file) => /\bprocess\s*(\.\s*env\b|\[\s*['"`]env)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(readers).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
