import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { CaseWorkflowError } from './machine.js';
import { applyStoredAction, countCasesByState, getCase, getCaseEvents, listCases, openCasesFromViolations, scoresFromStore } from './service.js';

const reviewer = { id: 'R-001', role: 'reviewer' } as const;
const hospital = { id: 'H-01', role: 'institution' } as const;

/** The store-backed case service suite, run on DuckDB (service.test.ts) and PostgreSQL (service.postgres.int.test.ts). */
export function runCaseworkSuite(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await open());
  // rows as the audit engine's batch audit writes them (migration 300-audit)
  const v = (id: string, enc: string, doc: string, amt: number): (string | number)[] =>
    [id, 'run-1', 'GZ-1', 1, 'item-sex', 'sex-restricted', 'definite', 'deduct', '1', enc, 'I1', 'D1', doc, 'L1', amt, '限性别', '{}', '2026-03-01T00:00:00'];
  for (const row of [v('V1', 'E1', 'P1', 5_000), v('V2', 'E2', 'P1', 3_000), v('V3', 'E3', 'P2', 2_000)]) {
    await store.exec(
      `INSERT INTO violations (id, run_id, rule_id, rule_version, kind, type, result_type, action, national_classes, encounter_id,
         institution_id, department_id, doctor_id, line_ids, amount_fen, message, evidence, detected_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
      row,
    );
  }
});
afterEach(async () => {
  await cleanup();
});

describe(`case service (store-backed, ${name})`, () => {
  it('opens one case per violation, idempotently', async () => {
    expect(await openCasesFromViolations(store, '2026-03-02T09:00:00')).toEqual({ opened: 3, total: 3 });
    expect(await openCasesFromViolations(store, '2026-03-03T09:00:00')).toEqual({ opened: 0, total: 3 });
    const c = await getCase(store, 'C-V1');
    expect(c?.state).toBe('open');
    expect(c?.amountFen).toBe(5_000);
  });

  it('persists transitions with one event each; a rejected action writes nothing', async () => {
    await openCasesFromViolations(store, '2026-03-02T09:00:00');
    await applyStoredAction(store, 'C-V1', { kind: 'notify', at: '2026-03-02T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' });
    await applyStoredAction(store, 'C-V1', { kind: 'appeal', at: '2026-03-04T10:00:00', actor: hospital, reason: '有适应症', attachments: ['病程记录'] });
    await expect(applyStoredAction(store, 'C-V1', { kind: 'notify', at: '2026-03-05T10:00:00', actor: reviewer, appealDueDate: '2026-03-15' })).rejects.toThrow(CaseWorkflowError);
    await applyStoredAction(store, 'C-V1', { kind: 'decide', at: '2026-03-06T10:00:00', actor: reviewer, outcome: 'clear', reason: '申诉成立' });
    const c = (await getCase(store, 'C-V1'))!;
    expect(c.state).toBe('cleared');
    expect(c.appeal).toEqual({ reason: '有适应症', attachments: ['病程记录'], at: '2026-03-04T10:00:00' });
    expect(c.version).toBe(3);
    const events = await getCaseEvents(store, 'C-V1');
    expect(events.map((e) => [e.seq, e.action, e.fromState, e.toState, e.actorId, e.at])).toEqual([
      [1, 'notify', 'open', 'notified', 'R-001', '2026-03-02T10:00:00'],
      [2, 'appeal', 'notified', 'appealed', 'H-01', '2026-03-04T10:00:00'],
      [3, 'decide', 'appealed', 'cleared', 'R-001', '2026-03-06T10:00:00'],
    ]);
    await expect(applyStoredAction(store, 'C-NOPE', { kind: 'notify', at: '2026-03-05T10:00:00', actor: reviewer, appealDueDate: '2026-03-15' })).rejects.toThrow(/no case C-NOPE/);
    expect(await countCasesByState(store)).toEqual({ open: 2, notified: 0, appealed: 0, deducted: 0, cleared: 1 });
    expect((await listCases(store, { state: 'open' })).map((x) => x.caseId)).toEqual(['C-V2', 'C-V3']);
  });

  it('two actions from the same version cannot both succeed', async () => {
    await openCasesFromViolations(store, '2026-03-02T09:00:00');
    // simulate a stale writer: insert the event the other reviewer would write, then try again
    await applyStoredAction(store, 'C-V2', { kind: 'notify', at: '2026-03-02T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' });
    await store.exec(`UPDATE cases SET state = 'open', version = 0 WHERE case_id = 'C-V2'`); // stale row, event #1 exists
    await expect(applyStoredAction(store, 'C-V2', { kind: 'notify', at: '2026-03-02T11:00:00', actor: reviewer, appealDueDate: '2026-03-12' })).rejects.toThrow();
    expect((await getCaseEvents(store, 'C-V2')).length).toBe(1);
  });

  it('scores from the store: cases joined with encounter/line denominators', async () => {
    await openCasesFromViolations(store, '2026-03-02T09:00:00');
    for (const [id, doc] of [['E1', 'P1'], ['E2', 'P1'], ['E3', 'P2'], ['E4', 'P2']] as const) {
      await store.exec(
        `INSERT INTO encounters (id, institution_id, department_id, person_id, doctor_id, kind, benefit_type, scheme, sex, age_years, age_days,
           birth_weight_grams, admit_date, discharge_date, discharge_type, los_days, diagnoses, procedures, batch_id, source_file, source_row)
         VALUES ($1, 'I1', 'D1', 'X', $2, 'outpatient', 'general', 'employee', '1', 40, 0, 0, '2026-03-01', '2026-03-01', '1', 0, 'J00', '', 'b', 'f', 1)`,
        [id, doc],
      );
      await store.exec(
        `INSERT INTO settlement_lines (id, encounter_id, institution_id, local_code, item_code, item_id, item_name, category, pay_class, quantity,
           unit_price_fen, amount_fen, doctor_id, department_id, charged_at, batch_id, source_file, source_row)
         VALUES ($1, $2, 'I1', '', 'X', 0, 'x', 'service', 'A', 1, 10000, 10000, $3, 'D1', '2026-03-01T09:00:00', 'b', 'f', 1)`,
        [`L-${id}`, id, doc],
      );
    }
    const s = await scoresFromStore(store, 'doctor', '2026-03-31');
    const p1 = s.find((u) => u.doctorId === 'P1')!;
    expect(p1.encounters).toBe(2);
    expect(p1.billedFen).toBe(20_000);
    expect(p1.violatingEncounters).toBe(2);
    expect(p1.amountAtStakeFen).toBe(8_000);
    const h = await scoresFromStore(store, 'hospital', '2026-03-31');
    expect(h).toHaveLength(1);
    expect(h[0]!.fundSafetyIndex).toBe(50); // the only unit is the region: 50 on both sub-scores
  });
});
}
