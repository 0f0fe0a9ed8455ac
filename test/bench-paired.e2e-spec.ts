import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { Children } from '../bench/children';
import { parseOptions } from '../bench/options';
import { postgresMissing, startPostgres } from '../bench/postgres';
import { buildRows, renderMarkdown } from '../bench/report';
import type { BenchResults, PairedResult, ThroughputResult } from '../bench/results';

function side(cpuUs: number): ThroughputResult {
  return {
    rps: 1000,
    ok: 4000,
    p50Ms: 10,
    p99Ms: 30,
    errors: 0,
    non2xx: 0,
    durationS: 4,
    serverCpuMsPerRequest: cpuUs / 1000,
  };
}

function results(paired: BenchResults['paired']): BenchResults {
  return {
    meta: {
      startedAt: '',
      finishedAt: '',
      wallS: 0,
      node: process.version,
      cpus: 2,
      cpuModel: 'test',
      loadAverage: { before: 0, after: 0 },
      quick: true,
      profiled: false,
      settings: { fixedRate: 500 },
    },
    throughput: {},
    fixedRate: {},
    paired,
    streaming: {},
  };
}

function pair(baseUs: number, variantUs: number, roundCpuRatios: number[]): PairedResult {
  return {
    rounds: roundCpuRatios.length,
    baseline: side(baseUs),
    variant: side(variantUs),
    cpuRatio: variantUs / baseUs,
    roundCpuRatios,
  };
}

describe('bench: paired rows', () => {
  it('selects paired rows with --loads and takes the number of rounds and a release ref', () => {
    const options = parseOptions(
      ['--loads', 'postgres,client-keys', '--pairs', '4', '--release', '6a16b5c'],
      {},
    );
    expect([...options.loads]).toEqual(['postgres', 'client-keys']);
    expect(options.pairs).toBe(4);
    expect(options.release).toBe('6a16b5c');
    expect(parseOptions(['--quick'], {}).pairs).toBe(2);
    expect(() => parseOptions(['--pairs', '0'], {})).toThrow('--pairs must be at least 1');
  });

  it("reads each row's CPU against its issue's allowance and says why a row did not run", () => {
    const rows = buildRows(
      results({
        postgres: { status: 'ok', result: pair(500, 510, [1.01, 1.03]) },
        quota: { status: 'ok', result: pair(500, 520, [1.04, 1.04]) },
        'client-keys': {
          status: 'pending',
          reason: 'pending: src/client-keys is not on this build yet',
        },
      }),
    ).filter((r) => r.section.startsWith('Paired'));

    expect(rows.map((r) => [r.scenario, r.status])).toEqual([
      ['native, usage ledger on PostgreSQL (DATABASE_URL), issue 20', 'met'],
      [
        'native, quota accounting (QUOTA_LIMITS declared), issue 22',
        'MISSED CPU ≤+3 % (by 1.00 points)',
      ],
      [
        'native, client key of 1,000 defined, issue 21',
        'PENDING: pending: src/client-keys is not on this build yet',
      ],
    ]);
    expect(rows[0].measured).toContain('510 µs CPU/req against 500');
    expect(rows[0].versus).toContain('CPU +2.0 % vs ledger on SQLite (rounds 1.010×, 1.030×)');
  });

  it('reads each route against the Nest floor round by round, not from the totals', () => {
    const inRounds = (rps: number[], cpuUs: number): ThroughputResult => ({
      ...side(cpuUs),
      rps: rps.reduce((a, x) => a + x, 0) / rps.length,
      rounds: rps.map((x) => ({ rps: x, cpuMsPerRequest: cpuUs / 1000 })),
    });
    const floor = inRounds([3000, 2000], 300);
    const base = results({});
    // Round by round 0.95× and 0.85× (geometric mean 0.899×); the totals alone would say 0.91×.
    const rows = buildRows({
      ...base,
      throughput: {
        passthrough: { status: 'ok', result: inRounds([5000, 5000], 80) },
        'nest-floor': { status: 'ok', result: floor },
        native: { status: 'ok', result: inRounds([2850, 1700], 330) },
      },
    }).filter((r) => r.section === 'Throughput');
    const native = rows.find((r) => r.scenario.startsWith('native'))!;
    expect(native.versus).toContain('floor 0.90× (rounds 0.95, 0.85) · CPU 1.10×');
    expect(native.status).toContain('MISSED');
    expect(native.status).toContain('floor ≥0.9×');

    const single = buildRows({
      ...base,
      throughput: {
        'nest-floor': { status: 'ok', result: side(300) },
        native: { status: 'ok', result: { ...side(330), rps: 910 } },
      },
    }).find((r) => r.scenario.startsWith('native'))!;
    expect(single.versus).toContain('floor 0.91× · CPU 1.10×');
  });

  it('writes a Markdown table whose header has as many cells as its rows', () => {
    const outcome = results({ postgres: { status: 'ok', result: pair(500, 510, [1.02]) } });
    const lines = renderMarkdown(outcome, buildRows(outcome))
      .split('\n')
      .filter((l) => l.startsWith('|'));
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    expect(lines.length).toBeGreaterThan(2);
    expect(new Set(lines.map(cells)).size).toBe(1);
  });

  const withPostgres = postgresMissing() ? it.skip : it;
  withPostgres(
    'starts its own PostgreSQL on a loopback port and leaves nothing behind',
    async () => {
      const workDir = mkdtempSync(path.join(tmpdir(), 'bench-paired-spec-'));
      const children = new Children(workDir);
      let url = '';
      let dataDir = '';
      try {
        const server = await startPostgres(children, workDir);
        url = server.url;
        expect(url).toMatch(/^postgres:\/\/bench@127\.0\.0\.1:\d+\/postgres$/);
        const client = new Client({ connectionString: url });
        await client.connect();
        dataDir = (
          (await client.query('show data_directory')).rows[0] as { data_directory: string }
        ).data_directory;
        // The kernel counts CPU in 10 ms ticks, and a server just started may have used one or
        // none: a query that keeps its backend busy for longer makes the count certain.
        await client.query('select count(*) from generate_series(1, 2000000)');
        expect(server.cpuTimeMs()).toBeGreaterThan(0);
        await client.end();
        expect(existsSync(dataDir)).toBe(true);
      } finally {
        await children.stopAll();
        rmSync(workDir, { recursive: true, force: true });
      }
      expect(existsSync(path.dirname(dataDir))).toBe(false);
      const after = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      after.on('error', () => undefined);
      await expect(after.connect()).rejects.toThrow();
    },
    60_000,
  );
});
