/** Importer behaviour, run on every store backend (importer.duckdb.test.ts, importer.postgres.int.test.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { BAD_ROWS, MINI, toCsv, writeMiniRegion } from '../testing/mini-region.js';
import { importFile, importRegion } from './importer.js';
import { qualityReport, unmappedCodesReport } from './quality.js';

const KEY = 'test-pseudonym-key';

export function runImportSuite(name: string, makeStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`importer on ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let dir: string;
    beforeAll(async () => {
      ({ store, cleanup } = await makeStore());
      dir = mkdtempSync(join(tmpdir(), 'medfund-mini-'));
      writeMiniRegion(dir);
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports a region, reconciling rows and amounts to the fen, quarantining exactly the bad rows', async () => {
      const report = await importRegion(store, dir, { pseudonymKey: KEY });
      for (const f of report.files) {
        expect(f.rowsRead, f.file).toBe(f.rowsStored + f.rowsQuarantined + f.rowsDuplicate);
        if (f.amountFenRead !== undefined) expect(f.amountFenRead).toBe(f.amountFenStored! + f.amountFenQuarantined!);
      }
      const lines = report.files.find((f) => f.kind === 'settlementLines')!;
      const totalAmount = MINI.settlementLines.reduce((a, l) => a + Number(l.amountFen), 0);
      expect(lines.amountFenRead).toBe(totalAmount);
      expect(lines.amountFenStored).toBe(2000 + 50 + 250000 + 1920);
      const q = await store.query(`SELECT kind, source_row, reason_codes, raw FROM quarantine ORDER BY kind, source_row`);
      for (const bad of BAD_ROWS) {
        const hit = q.find((r) => String(r.raw).startsWith(`${bad.id},`));
        expect(hit, `${bad.id} quarantined`).toBeDefined();
        expect(String(hit!.reason_codes).split('|'), `${bad.id} reasons`).toContain(bad.reason);
      }
      expect(q).toHaveLength(new Set(BAD_ROWS.map((b) => b.id)).size);
    });

    it('maps local codes to national codes and internal ids, and keeps lineage', async () => {
      const [l2] = await store.query(`SELECT item_code, item_id, source_file, source_row, batch_id FROM settlement_lines WHERE id = 'L2'`);
      expect(l2).toMatchObject({ item_code: 'XJ01CAA040A001010101234', source_file: 'settlement-lines.csv', source_row: 3 });
      expect(Number(l2!.item_id)).toBeGreaterThan(0);
      expect(String(l2!.batch_id)).toMatch(/^settlementLines-[0-9a-f]{24}$/);
      const [l3] = await store.query(`SELECT item_name FROM settlement_lines WHERE id = 'L3'`);
      expect(l3!.item_name).toBe('一次性吻合器,"进口"');
      expect(await unmappedCodesReport(store)).toEqual([{ institutionId: 'H1', localCode: 'YP-9999', rows: 1 }]);
    });

    it('pseudonymises persons: the id number is never stored', async () => {
      const persons = await store.query(`SELECT id FROM persons`);
      expect(persons).toHaveLength(2);
      for (const p of persons) expect(String(p.id)).toMatch(/^[0-9a-f]{32}$/);
      const dump = JSON.stringify(await store.query(`SELECT * FROM encounters`)) + JSON.stringify(await store.query(`SELECT * FROM persons`));
      expect(dump).not.toContain('31000019800101001X');
    });

    it('re-importing the same files stores nothing twice', async () => {
      const before = await store.query(`SELECT COUNT(*) AS n FROM settlement_lines`);
      const report = await importRegion(store, dir, { pseudonymKey: KEY });
      expect(report.files.every((f) => f.status === 'already-imported')).toBe(true);
      const after = await store.query(`SELECT COUNT(*) AS n FROM settlement_lines`);
      expect(after).toEqual(before);
      const [q] = await store.query(`SELECT COUNT(*) AS n FROM quarantine`);
      expect(q!.n).toBe(9 - 1); // E3 has two reasons but is one row: 8 rows
    });

    it('reads the same lines from a GBK file as duplicates, and a changed row as a conflict', async () => {
      const rows = MINI.settlementLines.slice(0, 4).map((r) => ({ ...r }));
      rows[3] = { ...rows[3]!, quantity: 2, amountFen: 160 }; // L4 with different content
      const path = join(dir, 'gbk-lines.csv');
      writeFileSync(path, iconv.encode(toCsv('settlementLines', rows), 'gbk'));
      const r = await importFile(store, path, { pseudonymKey: KEY, kind: 'settlementLines' });
      expect(r.encoding).toBe('gbk');
      expect(r).toMatchObject({ rowsRead: 4, rowsStored: 0, rowsDuplicate: 3, rowsQuarantined: 1, reasons: { 'duplicate-key-conflict': 1 } });
      const [l3] = await store.query(`SELECT COUNT(*) AS n FROM settlement_lines WHERE id = 'L3'`);
      expect(l3!.n).toBe(1);
    });

    it('imports JSON Lines with the same validation', async () => {
      const path = join(dir, 'extra.jsonl');
      writeFileSync(path, [
        JSON.stringify({ ...MINI.settlementLines[0], id: 'J1', chargedAt: '2025-03-03T08:00:00' }),
        '{not json',
        JSON.stringify({ ...MINI.settlementLines[0], id: 'J2', quantity: -1 }),
      ].join('\n'));
      const r = await importFile(store, path, { pseudonymKey: KEY, kind: 'settlementLines' });
      expect(r).toMatchObject({ rowsRead: 3, rowsStored: 1, rowsQuarantined: 2 });
      expect(Object.keys(r.reasons).sort()).toEqual(['invalid-json', 'quantity-not-positive']);
    });

    it('reports data quality per source and institution', async () => {
      const q = await qualityReport(store);
      const enc = q.bySource.find((s) => s.key === 'encounters.csv')!;
      expect(enc).toMatchObject({ rowsRead: 5, rowsStored: 2, rowsQuarantined: 3 });
      expect(enc.validityPct).toBe(60); // E3 (unknown diagnosis), E5 (LOS 0) invalid
      expect(enc.consistencyPct).toBe(60); // E3 (dates) and E4 (sex) inconsistent
      const lines = q.bySource.find((s) => s.key === 'settlement-lines.csv')!;
      expect(lines.timelinessPct).toBe(100);
      const h1 = q.byInstitution.find((s) => s.key === 'H1')!;
      expect(h1.rowsQuarantined).toBeGreaterThan(0);
    });
  });
}
