import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Database } from './database';

describe('Database on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'database-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file and its folder, and migrates the schema', async () => {
    const file = path.join(dir, 'nested', 'proxy.db');
    const database = await Database.open({ sqliteFile: file });
    database.start();
    await database.ready;
    expect(database.isMigrated).toBe(true);
    expect(database.location).toBe(file);
    const tables = await database.db.introspection.getTables();
    expect(tables.map((t) => t.name).sort()).toEqual(
      expect.arrayContaining(['usage_daily', 'usage_hourly', 'usage_rows']),
    );
    await database.close();
  });

  it('keeps the ledger in memory, and says why, when the file cannot be opened', async () => {
    // A path under a regular file can never be created, even by root.
    const database = await Database.open({ sqliteFile: '/dev/null/ledger/proxy.db' });
    database.start();
    await database.ready;
    expect(database.isMigrated).toBe(true);
    expect(database.location).toMatch(
      /^memory only \(cannot open \/dev\/null\/ledger\/proxy\.db: /,
    );
    await database.close();
  });
});
