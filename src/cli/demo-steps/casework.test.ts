import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryStore, type Store } from '../../store/index.js';
import { countCasesByState } from '../../casework/index.js';
import { caseworkDemoStep } from './casework.js';

let store: Store;
beforeEach(async () => {
  store = await openMemoryStore();
  for (let i = 0; i < 12; i++) {
    await store.exec(
      `INSERT INTO violations (id, run_id, rule_id, rule_version, kind, type, result_type, action, national_classes, encounter_id,
         institution_id, department_id, doctor_id, line_ids, amount_fen, message, evidence, detected_at)
       VALUES ($1, 'run-1', 'GZ-1', 1, 'item-sex', 'sex-restricted', 'definite', 'deduct', '1', $2, 'I1', 'D1', 'P1', 'L1', $3, '限性别', '{}', '2025-12-31T00:00:00')`,
      [`V${i}`, `E${i}`, 1_000 * (i + 1)],
    );
    await store.exec(
      `INSERT INTO encounters (id, institution_id, department_id, person_id, doctor_id, kind, benefit_type, scheme, sex, age_years, age_days,
         birth_weight_grams, admit_date, discharge_date, discharge_type, los_days, diagnoses, procedures, batch_id, source_file, source_row)
       VALUES ($1, 'I1', 'D1', 'X', 'P1', 'outpatient', 'general', 'employee', '1', 40, 0, 0, '2025-12-30', '2025-12-30', '1', 0, 'J00', '', 'b', 'f', 1)`,
      [`E${i}`],
    );
  }
});
afterEach(async () => {
  await store.close();
});

describe('casework demo step', () => {
  it('opens cases, walks the sample to a decision with one event per action, and is idempotent', async () => {
    const ctx = { regionDir: '', log: () => undefined };
    const lines = await caseworkDemoStep.run(store, ctx);
    expect(lines[0]).toMatch(/^案件 cases: 12 件/);
    const counts = await countCasesByState(store);
    expect(counts.open + counts.notified + counts.appealed).toBe(0); // all 12 decided (sample ≤ 200)
    expect(counts.deducted + counts.cleared).toBe(12);
    const events = Number((await store.query(`SELECT COUNT(*) AS n FROM case_events`))[0]!.n);
    const versions = Number((await store.query(`SELECT SUM(version) AS n FROM cases`))[0]!.n);
    expect(events).toBe(versions);
    expect((await store.query(`SELECT MIN(occurred_at) AS t FROM case_events`))[0]!.t).toBe('2025-12-31T10:00:00'); // the day after the last discharge (2025-12-30)
    const again = await caseworkDemoStep.run(store, ctx);
    expect(again[0]).toMatch(/^案件 cases: 12 件/);
    expect(Number((await store.query(`SELECT COUNT(*) AS n FROM case_events`))[0]!.n)).toBe(events);
  });
});
