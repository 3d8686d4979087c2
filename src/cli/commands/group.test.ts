import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from '../../drg/index.js';
import { register } from './group.js';

async function cli(...args: string[]): Promise<void> {
  const program = new Command('medfund').exitOverride();
  register(program);
  await program.parseAsync(['node', 'medfund', ...args]);
}

describe('medfund group', () => {
  for (const scheme of ['chs-drg-1.1', 'chs-drg-2.0']) {
    it(`--in/--out reproduces examples.csv of ${scheme}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'drg-cli-'));
      const lines = readFileSync(new URL(`../../../../shared/reference/${scheme}/examples.csv`, import.meta.url), 'utf8').trim().split('\n');
      const rows = lines.map((l) => splitCsvRecord(l)!);
      // cases.csv = the first ten columns, re-quoted as standard CSV
      const q = (v: string) => (/[",]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      writeFileSync(join(dir, 'cases.csv'), rows.map((r) => r.slice(0, 10).map(q).join(',')).join('\n') + '\n');
      await cli('group', '--in', join(dir, 'cases.csv'), '--out', join(dir, 'groups.csv'), '--scheme', scheme, '--json');
      const out = readFileSync(join(dir, 'groups.csv'), 'utf8').trim().split('\n').map((l) => splitCsvRecord(l)!);
      expect(out[0]).toEqual(['id', 'status', 'mdc', 'adrg', 'drg']);
      expect(out.slice(1)).toEqual(rows.slice(1).map((r) => [r[0], ...r.slice(10, 14)]));
    });
  }

  it('rejects a file without the case columns, naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drg-cli-'));
    writeFileSync(join(dir, 'bad.csv'), 'id,gender\n1,1\n');
    await expect(cli('group', '--in', join(dir, 'bad.csv'), '--out', join(dir, 'o.csv'))).rejects.toThrow(/age, ageDays/);
  });
});

describe('medfund drg run / indicators / predict / group --compare over a store', () => {
  it('works end to end on a DuckDB file', async () => {
    const { openStore } = await import('../../store/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'drg-store-'));
    const db = join(dir, 'm.duckdb');
    const store = await openStore({ db });
    const L = ['b1', 'test.csv', 1] as const;
    const enc = (id: string, dept: string, los: number, dtype: string) =>
      [id, 'H1', dept, 'P1', 'DR1', 'inpatient', 'general', 'employee', '1', 85, 0, 0, '2025-03-01', '2025-03-09', dtype, los,
        'T46.100|I85.900x001|M85.600x043', '52.8300|55.6901|39.2204', ...L];
    await store.appendRows('encounters', ['id', 'institution_id', 'department_id', 'person_id', 'doctor_id', 'kind', 'benefit_type', 'scheme', 'sex', 'age_years', 'age_days', 'birth_weight_grams', 'admit_date', 'discharge_date', 'discharge_type', 'los_days', 'diagnoses', 'procedures', 'batch_id', 'source_file', 'source_row'],
      Array.from({ length: 8 }, (_, i) => enc(`E${i}`, i < 4 ? 'D1' : 'D2', 6 + i, i === 7 ? '5' : '1')));
    await store.appendRows('settlement_lines', ['id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity', 'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at', 'batch_id', 'source_file', 'source_row'],
      Array.from({ length: 8 }, (_, i) => [`L${i}`, `E${i}`, 'H1', '', 'X', 1, 'x', 'service', 'A', 1, 3_000_000 + i * 100_000, 3_000_000 + i * 100_000, 'DR1', 'D1', '2025-03-02T10:00:00', ...L]));
    await store.close();

    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await cli('drg', 'run', '--db', db, '--scheme', 'chs-drg-2.0', '--json');
      await cli('drg', 'indicators', '--db', db, '--by', 'department', '--json');
      await cli('drg', 'predict', '--db', db, '--scheme', 'chs-drg-2.0', '--case', JSON.stringify({ gender: '1', age: '85', diagnoses: ['T46.100'], procedures: ['52.8300', '55.6901'] }), '--cost', '10000', '--days', '2', '--json');
      await cli('group', '--compare', 'chs-drg-1.1', 'chs-drg-2.0', '--db', db, '--json');
    } finally {
      process.stdout.write = write;
    }
    const [run, ind, pred, cmp] = out.map((s) => JSON.parse(s));
    expect(run).toMatchObject({ stays: 8, scheme: 'chs-drg-2.0', params: 'demo-2025', weights: 1 });
    // one DRG, mean 33,500 元, trend +3 % → R = 34,505 元
    expect(run.rate.ratePerWeightFen).toBe(3_450_500);
    expect(ind.indicators.map((x: { groupKey: string; groupedCases: number }) => [x.groupKey, x.groupedCases])).toEqual([['H1/D1', 4], ['H1/D2', 4]]);
    expect(pred.group.drg).toBe('AC19');
    expect(pred.standardPaymentFen).toBe(3_450_500);
    expect(cmp).toMatchObject({ schemeA: 'chs-drg-1.1', schemeB: 'chs-drg-2.0', cases: 8 });
    expect(cmp.payment.byDepartment).toHaveLength(2);
  });
});
