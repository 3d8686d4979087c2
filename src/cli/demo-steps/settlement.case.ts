import { expect } from 'vitest';
import type { Store } from '../../store/index.js';
import { clearDipStore, clearDrgStore, clearStore, settleStore } from './settlement.js';

const L = ['b1', 'test.csv', 1] as const;

/** The same case on any backend (settlement.postgres.int.test.ts runs it on PostgreSQL). */
export async function runSettlementStoreCase(store: Store): Promise<void> {
  {
    {
      await seedSettlementFixture(store);
      const s = await settleStore(store, { runId: 't' });
      expect(s.encounters).toBe(4);
      expect(s.standIn).toBe(2); // E0 (2022, before the Jiangmen set: Beijing stand-in) and E3 (region without a policy)
      const rows = await store.query<{ encounter_id: string; fund_fen: number; deductible_fen: number; policy_id: string }>(
        `SELECT encounter_id, fund_fen, deductible_fen, policy_id FROM settlement_results WHERE run_id = 't' ORDER BY encounter_id`,
      );
      const by = new Map(rows.map((r) => [r.encounter_id, r]));
      expect(Number(by.get('E1')!.fund_fen)).toBe(900_000); // Jiangmen 二级: (10,600 − 600) × 90%
      expect(Number(by.get('E2')!.deductible_fen)).toBe(60_000); // second admission: Jiangmen has no lower rule
      expect(by.get('E3')!.policy_id).toBe('320400-2022-resident'); // 三级 other residents: 800, 75%
      expect(Number(by.get('E3')!.fund_fen)).toBe(315_000);
      // re-running replaces the run
      await settleStore(store, { runId: 't' });
      expect(Number((await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM settlement_results WHERE run_id = 't'`))[0]!.n)).toBe(4);
      const c = await clearStore(store, '2023', { runId: 't' });
      expect(c.institutions).toBe(2);
      const alloc = await store.query<{ budget_fen: number; institution_id: string }>(`SELECT institution_id, budget_fen FROM department_allocations WHERE run_id = 't' ORDER BY institution_id`);
      const cl = await store.query<{ institution_id: string; budget_fen: number }>(`SELECT institution_id, budget_fen FROM clearing_results WHERE run_id = 't' ORDER BY institution_id`);
      expect(alloc.map((a) => Number(a.budget_fen))).toEqual(cl.map((x) => Number(x.budget_fen)));
      // DRG clearing through the DRG engine: every 2023 stay is priced, fund = payment − patient part
      const d = await clearDrgStore(store, '2023', { runId: 't' });
      expect(d.cases).toBe(3);
      expect(d.institutions.reduce((s2, i) => s2 + i.chargesFen, 0)).toBe(1_060_000 + 100_000 + 500_000);
      // DIP clearing: scores from 2022 (one J18 stay → 综合病种 J18|保守治疗), 2023 stays scored against it
      const dip = await clearDipStore(store, '2023', { runId: 't' });
      expect(dip.cases).toBe(3);
      expect(dip.unscored).toBe(0);
      // one group, so the estimated point value is the 2022 mean cost ÷ 1000 points
      expect(dip.estimatedPointValueFen).toBeCloseTo(200_000 / 1000, 9);
      for (const i of dip.institutions) expect(i.fundDueFen - i.prepaidFen).toBe(i.yearEndPaymentFen);
    }
  }
}

/** A small region: a Jiangmen 二级 hospital, a hospital of a region without a policy, four stays. */
export async function seedSettlementFixture(store: Store): Promise<void> {
  await store.appendRows('institutions', ['id', 'name', 'level', 'kind', 'region_code', 'batch_id', 'source_file', 'source_row'], [
    ['H1', '江门二级医院', '2', 'hospital', '440700', ...L],
    ['H2', '演示医院', '3', 'hospital', '999999', ...L],
  ]);
  await store.appendRows('persons', ['id', 'sex', 'birth_date', 'scheme', 'person_type', 'region_code', 'batch_id', 'source_file', 'source_row'], [
    ['P1', '1', '1970-01-01', 'employee', 'in-service', '440700', ...L],
    ['P2', '2', '1990-01-01', 'resident', 'adult', '999999', ...L],
  ]);
  await store.appendRows('catalog_items', ['code', 'item_id', 'name', 'category', 'pay_class', 'unit', 'price_cap_fen', 'self_pay_first_permille', 'restrict_sex', 'min_age_years', 'max_age_years', 'min_institution_level', 'indication_prefixes', 'benefit_types', 'max_quantity_per_day', 'effective_from', 'effective_to', 'batch_id', 'source_file', 'source_row'], [
    ['DA', 1, '甲类药', 'drug', 'A', '片', 0, 0, '', null, null, '', '', '', null, '2000-01-01', '2099-12-31', ...L],
    ['DB', 2, '乙类药', 'drug', 'B', '片', 0, 100, '', null, null, '', '', '', null, '2000-01-01', '2099-12-31', ...L],
  ]);
  const enc = (id: string, inst: string, person: string, scheme: string, date: string, kind = 'inpatient') =>
    [id, inst, 'D1', person, 'DR1', kind, 'general', scheme, '1', 50, 0, 0, date, date, '1', kind === 'inpatient' ? 5 : 0, 'J18.900', '', ...L];
  await store.appendRows('encounters', ['id', 'institution_id', 'department_id', 'person_id', 'doctor_id', 'kind', 'benefit_type', 'scheme', 'sex', 'age_years', 'age_days', 'birth_weight_grams', 'admit_date', 'discharge_date', 'discharge_type', 'los_days', 'diagnoses', 'procedures', 'batch_id', 'source_file', 'source_row'], [
    enc('E1', 'H1', 'P1', 'employee', '2023-02-01'),
    enc('E2', 'H1', 'P1', 'employee', '2023-05-01'),
    enc('E3', 'H2', 'P2', 'resident', '2023-03-01'),
    enc('E0', 'H1', 'P1', 'employee', '2022-06-01'),
  ]);
  const line = (id: string, e: string, code: string, cls: string, amt: number, day: string) => [id, e, 'H1', '', code, 1, code, 'drug', cls, 1, amt, amt, 'DR1', 'D1', `${day}T10:00:00`, ...L];
  await store.appendRows('settlement_lines', ['id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity', 'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at', 'batch_id', 'source_file', 'source_row'], [
    line('l1', 'E1', 'DA', 'A', 1_060_000, '2023-02-01'),
    line('l2', 'E2', 'DB', 'B', 100_000, '2023-05-01'),
    line('l3', 'E3', 'DA', 'A', 500_000, '2023-03-01'),
    line('l0', 'E0', 'DA', 'A', 200_000, '2022-06-01'),
  ]);
}
