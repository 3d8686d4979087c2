import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../../store/index.js';
import { drgDemoStep, runDrgHistory } from './drg.js';

const L = ['b1', 'test.csv', 1] as const;
// principal diagnosis / procedures taken from chs-drg-2.0 examples.csv (#1 → AC19)
const AC = { dx: 'T46.100|I85.900x001|M85.600x043', px: '52.8300|55.6901|39.2204' };

describe('DRG over the store (demo step)', () => {
  it('groups every inpatient stay, computes weights and rate, prices and stores; a re-run replaces', async () => {
    const store = await openMemoryStore();
    try {
      await store.appendRows('departments', ['id', 'institution_id', 'name', 'dept_code', 'cost_category', 'parent_id', 'staff_count', 'floor_area_m2', 'beds', 'batch_id', 'source_file', 'source_row'], [
        ['D1', 'H1', '外科', 'A07', 'clinical', '', 10, 100, 10, ...L],
      ]);
      const enc = (id: string, dx: string, px: string, los: number, kind = 'inpatient', dtype = '1') =>
        [id, 'H1', 'D1', 'P1', 'DR1', kind, 'general', 'employee', '1', 60, 0, 0, '2025-03-01', '2025-03-09', dtype, los, dx, px, ...L];
      const encounters = [
        ...Array.from({ length: 6 }, (_, i) => enc(`S${i}`, AC.dx, AC.px, 8 + i)),
        enc('Q1', '', '', 3), // empty diagnoses → CHECK_FAILED
        enc('O1', 'J00.x00', '', 0, 'outpatient'),
      ];
      await store.appendRows('encounters', ['id', 'institution_id', 'department_id', 'person_id', 'doctor_id', 'kind', 'benefit_type', 'scheme', 'sex', 'age_years', 'age_days', 'birth_weight_grams', 'admit_date', 'discharge_date', 'discharge_type', 'los_days', 'diagnoses', 'procedures', 'batch_id', 'source_file', 'source_row'], encounters);
      const line = (id: string, e: string, amt: number) => [id, e, 'H1', '', 'X', 1, 'x', 'service', 'A', 1, amt, amt, 'DR1', 'D1', '2025-03-02T10:00:00', ...L];
      // costs 40,000 … 90,000 元 for S0…S5, 5,000 元 for Q1
      await store.appendRows('settlement_lines', ['id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity', 'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at', 'batch_id', 'source_file', 'source_row'], [
        ...Array.from({ length: 6 }, (_, i) => line(`l${i}`, `S${i}`, (40_000 + i * 10_000) * 100)),
        line('lq', 'Q1', 500_000),
      ]);
      const run = await runDrgHistory(store, { scheme: 'chs-drg-2.0', compareWith: 'chs-drg-1.1' });
      expect(run.stays).toBe(7);
      expect(run.primary.groups.filter((g) => g.drg === 'AC19')).toHaveLength(6);
      // one DRG: mean 65,000 元 = overall mean → RW 1; F = 390,000 元 × 1.03; W = 6 → R = 66,950 元
      expect(run.primary.weights.drgs).toEqual([expect.objectContaining({ drg: 'AC19', weight: 1, cases: 6, avgCostFen: 6_500_000 })]);
      expect(run.primary.rate.ratePerWeightFen).toBe(6_695_000);
      const rows = await store.query<{ encounter_id: string; status: string; drg: string; payment_fen: number; case_type: string; cost_fen: number; weight: number }>(
        'SELECT encounter_id, status, drg, payment_fen, case_type, cost_fen, weight FROM drg_results ORDER BY encounter_id',
      );
      expect(rows).toHaveLength(7);
      const q1 = rows.find((r) => r.encounter_id === 'Q1')!;
      expect(q1).toMatchObject({ status: 'CHECK_FAILED', case_type: 'unassigned' });
      expect(Number(q1.payment_fen)).toBe(450_000); // items × 0.9
      const s0 = rows.find((r) => r.encounter_id === 'S0')!;
      expect(s0).toMatchObject({ status: 'SUCCESS', drg: 'AC19', case_type: 'normal', weight: 1 });
      expect(Number(s0.payment_fen)).toBe(6_695_000);
      expect(Number(s0.cost_fen)).toBe(4_000_000);
      expect(run.compare?.cases).toBe(7);
      expect(run.compare?.payment?.byInstitution[0]?.key).toBe('H1');

      const lines = await drgDemoStep.run(store, { regionDir: '', log: () => undefined });
      expect(lines[0]).toMatch(/7 例住院.*入组 grouped 6/);
      const n = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM drg_results');
      expect(Number(n[0]!.n)).toBe(7);
      const w = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM drg_weights');
      expect(Number(w[0]!.n)).toBe(1);
    } finally {
      await store.close();
    }
  });
});
