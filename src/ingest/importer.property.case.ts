import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_FILES } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { MINI, writeMiniRegion } from '../testing/mini-region.js';
import { importFile, importRegion } from './importer.js';

const COLS = REGION_FILES.settlementLines.columns;

/** A field value: mostly plausible, sometimes garbage (quotes, commas, newlines, huge numbers, CJK). */
export const fieldValue = (col: string): fc.Arbitrary<string> => {
  const good: Record<string, fc.Arbitrary<string>> = {
    encounterId: fc.constantFrom('E1', 'E2', 'E3', 'E404'),
    institutionId: fc.constantFrom('H1', 'H2', 'H9'),
    localCode: fc.constantFrom('', 'YP-0001', 'YP-404'),
    itemCode: fc.constantFrom('', '001102000050000', 'C0001', 'XJ01CAA040A001010101234', 'BAD'),
    category: fc.constantFrom('drug', 'service', 'consumable', 'facility', '药品'),
    payClass: fc.constantFrom('A', 'B', 'C', 'D'),
    quantity: fc.oneof(fc.constantFrom('1', '0.5', '0', '-2', '1e3', 'abc'), fc.double({ noNaN: true }).map(String)),
    unitPriceFen: fc.oneof(fc.integer({ min: -10, max: 1e6 }).map(String), fc.constantFrom('12.5', '', '9'.repeat(30))),
    amountFen: fc.oneof(fc.integer({ min: -10, max: 1e6 }).map(String), fc.constantFrom('', 'NaN')),
    doctorId: fc.constantFrom('H1-DR1', 'H2-DR1', 'X'),
    departmentId: fc.constantFrom('H1-D01', 'H2-D01', 'X'),
    chargedAt: fc.constantFrom('2025-03-02T10:00:00', '2025-02-30T10:00:00', '2025-03-02 25:00', 'yesterday', ''),
  };
  const garbage = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', '9', '|', '\u0000') , maxLength: 12 });
  return fc.oneof({ weight: 4, arbitrary: good[col] ?? fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: garbage });
};

export const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function runImportPropertySuite(name: string, makeStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>, numRuns: number): void {
describe(`importer never crashes and never drops a row (property, ${name})`, () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ store, cleanup } = await makeStore());
    dir = mkdtempSync(join(tmpdir(), 'medfund-prop-'));
    writeMiniRegion(dir);
    await importRegion(store, dir, { pseudonymKey: 'k' });
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every random or garbled row ends stored or quarantined with a reason', async () => {
    let run = 0;
    const rowArb = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(...COLS.slice(1).map((c) => fieldValue(c))).map((vals) => vals.map(csvCell)) },
      // structurally broken rows: wrong field counts, stray quotes
      { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 6 }).map(csvCell), { minLength: 1, maxLength: 20 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
        run++;
        const body = rows.map((r, i) => (r.length === COLS.length - 1 ? [`P${run}-${i}`, ...r] : r).join(',')).join('\n');
        const path = join(dir, `prop-${run}.csv`);
        writeFileSync(path, COLS.join(',') + '\n' + body + '\n');
        const before = await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantine`);
        const report = await importFile(store, path, { pseudonymKey: 'k', kind: 'settlementLines' });
        expect(report.rowsRead).toBe(report.rowsStored + report.rowsQuarantined + report.rowsDuplicate);
        expect(report.rowsDuplicate).toBe(0); // ids are unique per run
        expect(report.amountFenRead).toBe(report.amountFenStored! + report.amountFenQuarantined!);
        const after = await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM quarantine`);
        expect(after[0]!.n - before[0]!.n).toBe(report.rowsQuarantined);
        const empty = await store.query(`SELECT COUNT(*) AS n FROM quarantine WHERE reason_codes = '' OR reasons = '[]'`);
        expect(empty[0]!.n).toBe(0);
        const [stored] = await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM settlement_lines WHERE source_file = $1`, [`prop-${run}.csv`]);
        expect(stored!.n).toBe(report.rowsStored);
      }),
      { numRuns, seed: 20251123 },
    );
    expect(MINI.settlementLines.length).toBeGreaterThan(0);
  });
});
}
