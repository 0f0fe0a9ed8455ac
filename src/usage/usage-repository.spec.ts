import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Database } from '../database/database';
import { UsageRepository } from './usage-repository';
import type { UsageRow } from './usage-row';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 7, 12);

function row(id: string, time: number): UsageRow {
  return {
    id,
    time,
    request_id: id,
    client: 'password',
    dialect: 'native',
    requested_model: 'gemini-2.5-flash',
    served_model: 'gemini-2.5-flash',
    credential: 'key...aaaaa',
    attempts: 1,
    status: 200,
    prompt_tokens: 10,
    output_tokens: 2,
    thought_tokens: 0,
    cached_tokens: 0,
    duration_ms: 5,
    ttfb_ms: null,
    usage_missing: 0,
    error_reason: null,
  };
}

describe('UsageRepository on an SQLite file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'usage-repository-'));
  let database: Database;
  let repository: UsageRepository;

  beforeAll(async () => {
    database = await Database.open({ sqliteFile: path.join(dir, 'proxy.db') });
    database.start();
    await database.ready;
    repository = new UsageRepository(database);
  });

  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prunes raw rows past the retention a chunk at a time and keeps the totals', async () => {
    const old = Array.from({ length: 5 }, (_, i) => row(`old-${i}`, now - 100 * DAY + i));
    await repository.write([...old, row('new', now)]);
    const before = now - 90 * DAY;
    expect(await repository.pruneRows(before, 3)).toBe(3);
    expect(await repository.pruneRows(before, 3)).toBe(2);
    expect(await repository.pruneRows(before, 3)).toBe(0);
    expect((await repository.rows(0, now + DAY)).map((r) => r.id)).toEqual(['new']);
    const totals = await repository.totals({
      from: now - 200 * DAY,
      to: now + DAY,
      bucket: 'day',
      group: 'model',
    });
    expect(totals.reduce((n, t) => n + t.requests, 0)).toBe(6);
    expect(totals.reduce((n, t) => n + t.prompt_tokens, 0)).toBe(60);
  });

  it('adds a second batch to the totals of the same hour instead of replacing them', async () => {
    const hour = Date.UTC(2026, 11, 8, 9);
    await repository.write([row('a', hour + 1), row('b', hour + 2)]);
    await repository.write([row('c', hour + 3)]);
    const [total] = await repository.totals({
      from: hour,
      to: hour + 3_600_000,
      bucket: 'hour',
      group: 'credential',
    });
    expect(total).toMatchObject({
      start: hour,
      key: 'key...aaaaa',
      requests: 3,
      prompt_tokens: 30,
    });
  });

  it('keeps every column of a row as given', async () => {
    const hour = Date.UTC(2026, 11, 9, 9);
    const full: UsageRow = {
      ...row('full', hour),
      request_id: 'req_01',
      requested_model: 'gemini-flash-latest',
      attempts: 3,
      status: 429,
      prompt_tokens: 11,
      output_tokens: 12,
      thought_tokens: 13,
      cached_tokens: 14,
      duration_ms: 15,
      ttfb_ms: 16,
      usage_missing: 1,
      error_reason: 'RESOURCE_EXHAUSTED',
    };
    const bare: UsageRow = { ...row('bare', hour + 1), served_model: null, credential: null };
    await repository.write([full, bare]);
    expect(await repository.rows(hour, hour + 2)).toEqual([full, bare]);
  });

  // SQLite runs on the main thread: a statement prepared per batch (as Kysely's driver does for
  // every query) cost more than the inserts themselves, on every request's share of the CPU.
  it('prepares its statements once, not for every batch', async () => {
    const prepare = jest.spyOn(database.sqlite!, 'prepare');
    try {
      const hour = Date.UTC(2026, 11, 10, 9);
      for (let batch = 0; batch < 4; batch++)
        await repository.write([row(`p${batch}a`, hour + batch), row(`p${batch}b`, hour + batch)]);
      expect(prepare.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      prepare.mockRestore();
    }
    expect(
      await repository.rows(Date.UTC(2026, 11, 10, 9), Date.UTC(2026, 11, 10, 10)),
    ).toHaveLength(8);
  });
});
