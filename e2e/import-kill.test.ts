/**
 * Kill test: an import killed with SIGKILL at any point — mid-stream, inside the transaction,
 * just before COMMIT — leaves no half batch, and re-running it ends in exactly the state of an
 * uninterrupted import. Runs the real CLI in a child process, on DuckDB and on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_FILES } from '../src/domain/index.js';
import { importRegion } from '../src/ingest/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { writeMiniRegion } from '../src/testing/mini-region.js';
import { TEST_DATABASE_URL } from '../src/testing/postgres.js';

const BIN = resolve('bin/medfund.js');
const KEY = 'kill-test-key';
const LINES = 80_000;

function writeBigLines(path: string): void {
  const cols = REGION_FILES.settlementLines.columns;
  let out = cols.join(',') + '\n';
  for (let i = 0; i < LINES; i++) {
    const bad = i % 997 === 0; // some rows for the quarantine
    const qty = (i % 5) + 1;
    out += `K${i},E1,H1,,001102000050000,住院诊查费,service,A,${qty},2000,${bad ? 1 : qty * 2000},H1-DR1,H1-D01,2025-03-0${(i % 4) + 1}T09:00:00\n`;
  }
  writeFileSync(path, out);
}

interface Target {
  name: string;
  env(tag: string): Record<string, string>;
  open(tag: string): Promise<Store>;
  drop(tag: string): Promise<void>;
}

function runImport(env: Record<string, string>, file: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, 'import', file, '--kind', 'settlementLines', '--json'], {
      env: { ...process.env, ...env, MEDFUND_PSEUDONYM_KEY: KEY, MEDFUND_NO_PROGRESS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', rej);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) rej(new Error(`import exited ${code}: ${err}`));
      else res({ code, signal });
    });
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
}

async function fingerprint(store: Store): Promise<Record<string, unknown>> {
  const h = createHash('sha256');
  for (const r of await store.query(`SELECT id, amount_fen, source_row, batch_id FROM settlement_lines ORDER BY id`)) h.update(`${r.id}|${r.amount_fen}|${r.source_row}|${r.batch_id}\n`);
  const q = await store.query(`SELECT source_row, reason_codes FROM quarantine ORDER BY source_row`);
  const b = await store.query(`SELECT batch_id, rows_read, rows_stored, rows_quarantined, amount_fen_read, amount_fen_stored, amount_fen_quarantined FROM import_batches ORDER BY batch_id`);
  return { lines: h.digest('hex'), quarantine: q, batches: b };
}

const duckTargets = (dir: string): Target => ({
  name: 'duckdb',
  env: (tag) => ({ MEDFUND_DB: join(dir, `${tag}.duckdb`), DATABASE_URL: '' }),
  open: (tag) => openStore({ db: join(dir, `${tag}.duckdb`) }),
  drop: async () => undefined,
});

const pgTargets = (run: string): Target => ({
  name: 'postgres',
  env: (tag) => ({ DATABASE_URL: TEST_DATABASE_URL, MEDFUND_PG_SCHEMA: `kill_${run}_${tag}` }),
  open: (tag) => openStore({ databaseUrl: TEST_DATABASE_URL, schema: `kill_${run}_${tag}` }),
  drop: async (tag) => {
    const s = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: `kill_${run}_${tag}`, migrate: false });
    await s.exec(`DROP SCHEMA IF EXISTS kill_${run}_${tag} CASCADE`);
    await s.close();
  },
});

describe.each(['duckdb', 'postgres'] as const)('import killed with SIGKILL (%s)', (backend) => {
  let dir: string;
  let file: string;
  let target: Target;
  const tags: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'medfund-kill-'));
    writeMiniRegion(join(dir, 'region'));
    file = join(dir, 'big-lines.csv');
    writeBigLines(file);
    target = backend === 'duckdb' ? duckTargets(dir) : pgTargets(String(process.pid));
  });
  afterAll(async () => {
    for (const t of tags) await target.drop(t).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  async function prepared(tag: string): Promise<void> {
    tags.push(tag);
    let store: Store;
    try {
      store = await target.open(tag);
    } catch (err) {
      throw new Error(`*** ${backend} not reachable for the kill test: ${(err as Error).message}`);
    }
    await importRegion(store, join(dir, 'region'), { pseudonymKey: KEY });
    await store.close();
  }

  it('ends, after kill and re-run, in the same state as an uninterrupted import', { timeout: 600_000 }, async () => {
    await prepared('clean');
    const clean = await runImport(target.env('clean'), file);
    expect(clean.code).toBe(0);
    const cleanStore = await target.open('clean');
    const expected = await fingerprint(cleanStore);
    await cleanStore.close();
    expect((expected.batches as unknown[]).length).toBeGreaterThan(0);

    const scenarios: Array<{ tag: string; env?: Record<string, string>; killAfterMs?: number }> = [
      { tag: 'k-stream', env: { MEDFUND_FAULT_INJECT: `rows:${LINES / 2}` } }, // mid-stream, half the file read
      { tag: 'k-external', killAfterMs: 2500 }, // a kill from outside at an arbitrary moment
      { tag: 'f-intx', env: { MEDFUND_FAULT_INJECT: 'in-transaction' } },
      { tag: 'f-move', env: { MEDFUND_FAULT_INJECT: 'after-move' } },
      { tag: 'f-commit', env: { MEDFUND_FAULT_INJECT: 'before-commit' } },
    ];
    for (const s of scenarios) {
      await prepared(s.tag);
      const killed = await runImport({ ...target.env(s.tag), ...(s.env ?? {}) }, file, s.killAfterMs);
      // A kill that came after the import finished proves nothing: the scenario must really interrupt.
      if (s.env) expect(killed.signal, s.tag).toBe('SIGKILL');
      const store = await target.open(s.tag);
      const half = await store.query(`SELECT COUNT(*) AS n FROM settlement_lines WHERE source_file = 'big-lines.csv'`);
      const batch = await store.query(`SELECT COUNT(*) AS n FROM import_batches WHERE kind = 'settlementLines' AND source_file = 'big-lines.csv'`);
      // Either nothing of the batch is there, or all of it (the kill came after COMMIT).
      if (batch[0]!.n === 0) expect(half[0]!.n, `${s.tag}: no half batch`).toBe(0);
      await store.close();
      const rerun = await runImport(target.env(s.tag), file);
      expect(rerun.code).toBe(0);
      const after = await target.open(s.tag);
      expect(await fingerprint(after), s.tag).toEqual(expected);
      await after.close();
    }
  });
});
