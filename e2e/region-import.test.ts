/**
 * Foundation acceptance: a generated region imports and reconciles — per file, rows in = rows stored +
 * rows quarantined and, for settlement lines, the amounts match to the fen; the quarantine holds exactly
 * the generator's deliberate bad rows; labels point at stored source ids. On DuckDB and PostgreSQL,
 * through the real CLI contracts (`medfund synth`, `medfund import DIR --json`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileReport } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { TEST_DATABASE_URL } from '../src/testing/postgres.js';
import { json, medfund } from './cli.js';

type FileRow = FileReport;

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-region-'));
  const r = await medfund(['synth', '--out', join(dir, 'region'), '--hospitals', '2', '--inpatients', '600', '--outpatients', '3000', '--years', '1', '--seed', '11']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvSum(path: string, column: string): { rows: number; sum: number } {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const idx = header!.split(',').indexOf(column);
  let sum = 0;
  // generated files quote only names; the money column comes before any quoted text-free tail
  for (const l of lines) sum += Number(l.split(',')[idx]) || 0;
  return { rows: lines.length, sum };
}

describe.each([
  ['duckdb', (d: string) => ({ MEDFUND_DB: join(d, 'm.duckdb'), DATABASE_URL: '' })],
  ['postgres', () => ({ DATABASE_URL: TEST_DATABASE_URL, MEDFUND_PG_SCHEMA: `region_${process.pid}` })],
] as const)('generated region → import (%s)', (backend, envOf) => {
  afterAll(async () => {
    if (backend === 'postgres') {
      const s = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: `region_${process.pid}`, migrate: false });
      await s.exec(`DROP SCHEMA IF EXISTS region_${process.pid} CASCADE`);
      await s.close();
    }
  });

  it('reconciles rows and amounts, quarantines exactly the bad rows, and re-imports idempotently', async () => {
    const env = { ...envOf(dir), MEDFUND_PSEUDONYM_KEY: 'e2e' };
    const report = json<{ files: FileRow[] }>(await medfund(['import', join(dir, 'region'), '--json'], env));
    expect(report.files.length).toBeGreaterThanOrEqual(9);
    for (const f of report.files) {
      expect(f.rowsRead, f.file).toBe(f.rowsStored + f.rowsQuarantined);
      if (f.amountFenRead !== undefined) expect(f.amountFenRead, f.file).toBe(f.amountFenStored! + f.amountFenQuarantined!);
    }
    const lines = report.files.find((f) => f.file === 'settlement-lines.csv')!;
    const fromFile = csvSum(join(dir, 'region', 'settlement-lines.csv'), 'amountFen');
    expect(lines.rowsRead).toBe(fromFile.rows);
    expect(lines.amountFenRead).toBe(fromFile.sum);

    // The generator lists its deliberate bad rows; the importer must catch exactly those.
    const bad = readFileSync(join(dir, 'region', 'bad-rows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; id: string });
    expect(bad.length).toBeGreaterThan(0);
    const q = json<{ rows: Array<{ file: string; raw: string }> }>(await medfund(['quarantine', '--limit', '100000', '--json'], env));
    const quarantinedIds = q.rows.map((r) => `${r.file}:${r.raw.split(',')[0]}`).sort();
    expect(quarantinedIds).toEqual(bad.map((b) => `${b.file}:${b.id}`).sort());

    const again = json<{ files: FileRow[] }>(await medfund(['import', join(dir, 'region'), '--json'], env));
    expect(again.files.every((f) => f.status === 'already-imported')).toBe(true);
    const status = json<{ tables: Record<string, number> }>(await medfund(['status', '--json'], env));
    expect(status.tables.settlement_lines).toBe(lines.rowsStored);

    // Labels name source ids that are stored.
    const labels = readFileSync(join(dir, 'region', 'labels.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { encounterIds: string[] });
    expect(labels.length).toBeGreaterThan(0);
    const store = backend === 'duckdb' ? await openStore({ db: join(dir, 'm.duckdb') }) : await openStore({ databaseUrl: TEST_DATABASE_URL, schema: `region_${process.pid}` });
    try {
      const ids = labels.slice(0, 50).flatMap((l) => l.encounterIds);
      for (const id of ids) expect(await store.getEncounter(id), id).toBeDefined();
    } finally {
      await store.close();
    }
  });
});
