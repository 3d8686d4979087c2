import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.js';
import { run } from '../main.js';

let dir = '';
let db = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-cases-cli-'));
  db = join(dir, 'm.duckdb');
  const store = await openStore({ db });
  for (const [v, e, amt] of [['V1', 'E1', 5_000], ['V2', 'E2', 3_000]] as const) {
    await store.exec(
      `INSERT INTO violations (id, run_id, rule_id, rule_version, kind, type, result_type, action, national_classes, encounter_id,
         institution_id, department_id, doctor_id, line_ids, amount_fen, message, evidence, detected_at)
       VALUES ($1, 'run-1', 'GZ-1', 1, 'item-sex', 'sex-restricted', 'definite', 'deduct', '1', $2, 'I1', 'D1', 'P1', 'L1', $3, '限性别', '{}', '2025-12-31T00:00:00')`,
      [v, e, amt],
    );
    await store.exec(
      `INSERT INTO encounters (id, institution_id, department_id, person_id, doctor_id, kind, benefit_type, scheme, sex, age_years, age_days,
         birth_weight_grams, admit_date, discharge_date, discharge_type, los_days, diagnoses, procedures, batch_id, source_file, source_row)
       VALUES ($1, 'I1', 'D1', 'X', 'P1', 'outpatient', 'general', 'employee', '1', 40, 0, 0, '2025-12-30', '2025-12-30', '1', 0, 'J00', '', 'b', 'f', 1)`,
      [e],
    );
  }
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run the CLI in-process; returns stdout, stderr and the exit code. */
async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = 0;
  try {
    await run(['node', 'medfund', ...args, '--db', db]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

describe('medfund cases / scores', () => {
  it('opens, walks a case through the workflow, logs it, rejects an invalid step, and scores', async () => {
    expect(JSON.parse((await cli('cases', 'open', '--at', '2026-01-02T09:00:00', '--json')).out)).toEqual({ opened: 2, total: 2 });
    expect((await cli('cases', 'notify', 'C-V1', '--actor', 'R-001', '--at', '2026-01-02T10:00:00')).out).toMatch(/notify: open → notified/);
    expect((await cli('cases', 'appeal', 'C-V1', '--actor', 'H-01', '--reason', '有适应症', '--attachment', '病程记录', '--at', '2026-01-05T10:00:00')).code).toBe(0);
    expect((await cli('cases', 'decide', 'C-V1', '--actor', 'R-001', '--outcome', 'deduct', '--reason', '不成立', '--amount', '12.50', '--at', '2026-01-13T10:00:00')).code).toBe(0);
    const shown = JSON.parse((await cli('cases', 'show', 'C-V1', '--json')).out) as { case: { state: string; decision: { deductedFen: number } }; events: { action: string; actorId: string }[] };
    expect(shown.case.state).toBe('deducted');
    expect(shown.case.decision.deductedFen).toBe(1_250);
    expect(shown.events.map((x) => `${x.action}/${x.actorId}`)).toEqual(['notify/R-001', 'appeal/H-01', 'decide/R-001']);

    const bad = await cli('cases', 'appeal', 'C-V1', '--actor', 'H-01', '--reason', 'again');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid-transition.*cannot appeal a case in state deducted \(allowed from: notified\)/);
    expect((await cli('cases', 'decide', 'C-V2', '--actor', 'R-001', '--outcome', 'maybe', '--reason', 'x')).err).toMatch(/outcome must be deduct or clear/);
    expect((await cli('cases', 'show', 'C-NOPE')).err).toMatch(/unknown-case/);

    const listed = JSON.parse((await cli('cases', 'list', '--state', 'open', '--json')).out) as { counts: Record<string, number>; cases: { caseId: string }[] };
    expect(listed.cases.map((c) => c.caseId)).toEqual(['C-V2']);
    expect(listed.counts.deducted).toBe(1);

    const scores = JSON.parse((await cli('scores', '--level', 'doctor', '--as-of', '2026-02-01', '--json')).out) as { scores: { unitId: string; encounters: number; violatingEncounters: number; deductedFen: number }[] };
    expect(scores.scores).toHaveLength(1);
    expect(scores.scores[0]).toMatchObject({ unitId: 'I1/D1/P1', encounters: 2, violatingEncounters: 2, deductedFen: 1_250 });
  });
});
