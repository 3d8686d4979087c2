/**
 * The shared store suite: every backend runs it (store.duckdb.test.ts, store.postgres.int.test.ts),
 * so both return identical values for identical SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';

const LINEAGE = ['b1', 'f.csv', 1] as const;

export function runStoreSuite(name: string, makeStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`store suite: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('migrates idempotently', async () => {
      await store.migrate();
      await store.migrate();
      const rows = await store.query(`SELECT id FROM schema_migrations WHERE id = $1`, ['001-core']);
      expect(rows).toHaveLength(1);
    });

    it('appends and reads back typed rows with integers as numbers', async () => {
      await store.appendRows(
        'encounters',
        ['id', 'institution_id', 'department_id', 'person_id', 'doctor_id', 'kind', 'benefit_type', 'scheme', 'sex', 'age_years', 'age_days',
          'birth_weight_grams', 'admit_date', 'discharge_date', 'discharge_type', 'los_days', 'diagnoses', 'procedures', 'batch_id', 'source_file', 'source_row'],
        [['E1', 'H1', 'D1', 'P1', 'DR1', 'inpatient', 'general', 'employee', '2', 40, 0, 0, '2025-03-01', '2025-03-05', '1', 4, 'K35.800|E11.900', '', ...LINEAGE]],
      );
      const e = await store.getEncounter('E1');
      expect(e).toEqual({
        id: 'E1', institutionId: 'H1', departmentId: 'D1', personId: 'P1', doctorId: 'DR1', kind: 'inpatient', benefitType: 'general',
        scheme: 'employee', sex: '2', ageYears: 40, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-03-01', dischargeDate: '2025-03-05',
        dischargeType: '1', losDays: 4, diagnoses: ['K35.800', 'E11.900'], procedures: [],
      });
      const lineCols = ['id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity',
        'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at', 'batch_id', 'source_file', 'source_row'];
      await store.appendRows('settlement_lines', lineCols, [
        ['L2', 'E1', 'H1', '', 'X1', 1, '药"品,A', 'drug', 'A', 0.5, 1999, 1000, 'DR1', 'D1', '2025-03-02T10:00:00', ...LINEAGE],
        ['L1', 'E1', 'H1', 'loc', 'S1', 2, '', 'service', 'B', 2, 9_000_000_000_000, 18_000_000_000_000, 'DR1', 'D1', '2025-03-01T09:00:00', ...LINEAGE],
      ]);
      const lines = await store.getLines('E1');
      expect(lines.map((l) => l.id)).toEqual(['L1', 'L2']);
      expect(lines[1]).toMatchObject({ itemName: '药"品,A', quantity: 0.5, amountFen: 1000, localCode: '' });
      expect(lines[0]!.amountFen).toBe(18_000_000_000_000);
      const [sum] = await store.query<{ s: number; n: number }>(`SELECT SUM(amount_fen) AS s, COUNT(*) AS n FROM settlement_lines`);
      expect(sum).toEqual({ s: 18_000_000_001_000, n: 2 });
      expect(typeof sum!.s).toBe('number');
    });

    it('streams in order and filters', async () => {
      const batches: string[][] = [];
      for await (const b of store.streamLines({ chargedFrom: '2025-03-01', chargedTo: '2025-03-02' }, 1)) batches.push(b.map((l) => l.id));
      expect(batches).toEqual([['L1'], ['L2']]);
      const none: unknown[] = [];
      for await (const b of store.streamLines({ chargedTo: '2025-03-01' })) none.push(...b);
      expect(none).toHaveLength(1);
      await store.exec(`INSERT INTO encounters SELECT 'E0', institution_id, department_id, person_id, doctor_id, 'outpatient', benefit_type, scheme, sex,
        age_years, age_days, birth_weight_grams, '2025-09-01', '2025-09-01', discharge_type, 0, diagnoses, procedures, batch_id, source_file, source_row
        FROM encounters WHERE id = 'E1'`);
      const enc: string[] = [];
      for await (const b of store.streamEncounters({ kind: 'inpatient' })) enc.push(...b.map((e) => e.id));
      expect(enc).toEqual(['E1']);
      const byAdmit: string[] = [];
      for await (const b of store.streamEncounters()) byAdmit.push(...b.map((e) => e.id));
      expect(byAdmit).toEqual(['E1', 'E0']);
      const byId: string[] = [];
      for await (const b of store.streamEncounters({ orderBy: 'id' })) byId.push(...b.map((e) => e.id));
      expect(byId).toEqual(['E0', 'E1']);
    });

    it('rolls back a failed transaction completely, appends included', async () => {
      const before = await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM institutions`);
      await expect(
        store.withTransaction(async (tx) => {
          await tx.appendRows('institutions', ['id', 'name', 'level', 'kind', 'region_code', 'batch_id', 'source_file', 'source_row'], [['H9', '医院', '3', 'hospital', '310000', ...LINEAGE]]);
          await tx.exec(`INSERT INTO institutions VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ['H8', 'x', '2', 'hospital', '310000', 'b', 'f', 2]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const after = await store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM institutions`);
      expect(after[0]!.n).toBe(before[0]!.n);
      await store.withTransaction(async (tx) => {
        await tx.exec(`INSERT INTO institutions VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, ['H8', 'x', '2', 'hospital', '310000', 'b', 'f', 2]);
      });
      expect((await store.listInstitutions()).map((i) => i.id)).toContain('H8');
    });
  });
}
