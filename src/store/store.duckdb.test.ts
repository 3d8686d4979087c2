import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './index.js';
import { runStoreSuite } from './store.case.js';

runStoreSuite('duckdb (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'medfund-store-'));
  const store = await openStore({ db: join(dir, 'm.duckdb') });
  return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

describe('duckdb: progress of a long statement', () => {
  it('reports how far a CSV read has come (0–1, never falling) and leaves the progress settings as they were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medfund-progress-'));
    const store = await openStore({ db: join(dir, 'p.duckdb') });
    try {
      const csv = join(dir, 'rows.csv');
      writeFileSync(csv, Array.from({ length: 1_500_000 }, (_, i) => `${i},r${i % 977}`).join('\n'));
      const before = await store.query(`SELECT current_setting('enable_progress_bar') AS a, current_setting('enable_progress_bar_print') AS b`);
      const seen: number[] = [];
      await store.exec(`CREATE TABLE progress_probe AS SELECT * FROM read_csv('${csv}', header = false, columns = {'n': 'BIGINT', 's': 'VARCHAR'})`, undefined, {
        onProgress: (f) => seen.push(f),
        progressEveryMs: 1,
      });
      expect(Number((await store.query(`SELECT COUNT(*) AS n FROM progress_probe`))[0]!.n)).toBe(1_500_000);
      expect(seen.some((f) => f > 0), `progress seen: ${seen.join(' ')}`).toBe(true);
      for (const [i, f] of seen.entries()) {
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(1);
        if (i > 0) expect(f).toBeGreaterThanOrEqual(seen[i - 1]!);
      }
      expect(await store.query(`SELECT current_setting('enable_progress_bar') AS a, current_setting('enable_progress_bar_print') AS b`)).toEqual(before);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
