import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ServiceAccountKey } from '../fake-google/fake-google';

/** Writes a key file as a user would save it (any `*.json` name), mode 0600; returns its path. */
export function writeServiceAccountFile(
  dir: string,
  key: ServiceAccountKey | Record<string, unknown>,
  name = 'vertex-service-account.json',
): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return file;
}
