import { describe, expect, it } from 'vitest';
import { computeScores, peerSubScore, type ActivityCell, type ScoreCase } from './scores.js';

// Hand-computed fixture: docs/formulas.md § Casework scores walks through the same numbers.
const activity: ActivityCell[] = [
  { institutionId: 'I1', departmentId: 'D1', doctorId: 'P1', encounters: 10, billedFen: 100_000 },
  { institutionId: 'I1', departmentId: 'D1', doctorId: 'P2', encounters: 10, billedFen: 100_000 },
  { institutionId: 'I2', departmentId: 'D9', doctorId: 'P9', encounters: 20, billedFen: 200_000 },
];
const base = { rectificationRequired: false, rectificationDueDate: null, rectificationDoneDate: null, appealed: false, decisionOutcome: null, deductedFen: 0 };
const cases: ScoreCase[] = [
  { ...base, encounterId: 'E1', institutionId: 'I1', departmentId: 'D1', doctorId: 'P1', amountFen: 5_000, state: 'deducted', appealed: true, decisionOutcome: 'deduct', deductedFen: 5_000, rectificationRequired: true, rectificationDueDate: '2026-03-10', rectificationDoneDate: '2026-03-09' },
  { ...base, encounterId: 'E2', institutionId: 'I1', departmentId: 'D1', doctorId: 'P1', amountFen: 3_000, state: 'cleared', appealed: true, decisionOutcome: 'clear' },
  { ...base, encounterId: 'E3', institutionId: 'I1', departmentId: 'D1', doctorId: 'P2', amountFen: 2_000, state: 'notified' },
  { ...base, encounterId: 'E3', institutionId: 'I1', departmentId: 'D1', doctorId: 'P2', amountFen: 1_000, state: 'deducted', decisionOutcome: 'deduct', deductedFen: 1_000, rectificationRequired: true, rectificationDueDate: '2026-03-01' },
  { ...base, encounterId: 'E10', institutionId: 'I2', departmentId: 'D9', doctorId: 'P9', amountFen: 4_000, state: 'deducted', decisionOutcome: 'deduct', deductedFen: 4_000, rectificationRequired: true, rectificationDueDate: '2026-04-01' },
];

describe('scores', () => {
  it('peer sub-score: 100 at zero, 50 at the region rate, 0 at twice it', () => {
    expect(peerSubScore(0, 0.1)).toBe(100);
    expect(peerSubScore(0.1, 0.1)).toBe(50);
    expect(peerSubScore(0.3, 0.1)).toBe(0);
    expect(peerSubScore(0, 0)).toBe(100);
  });

  it('doctor level matches the hand computation', () => {
    const s = computeScores('doctor', activity, cases, '2026-03-15');
    expect(s.map((u) => [u.unitId, u.fundSafetyIndex])).toEqual([
      ['I1/D1/P2', 33.3],
      ['I1/D1/P1', 40],
      ['I2/D9/P9', 66.7],
    ]);
    const p1 = s.find((u) => u.doctorId === 'P1')!;
    expect(p1.violatingEncounters).toBe(1); // E2 was cleared
    expect(p1.violationRate).toBeCloseTo(0.1, 12);
    expect(p1.amountAtStakeFen).toBe(5_000);
    expect(p1.deductedFen).toBe(5_000);
    expect(p1.appealSuccessRate).toBe(0.5);
    expect(p1.rectificationTimeliness).toBe(1);
    expect(p1.components).toEqual({ violation: 33.3, amount: 16.7, rectification: 100 });
    const p2 = s.find((u) => u.doctorId === 'P2')!;
    expect(p2.violatingEncounters).toBe(1); // two cases, one encounter
    expect(p2.amountAtStakeFen).toBe(3_000);
    expect(p2.appealSuccessRate).toBeNull();
    expect(p2.rectificationTimeliness).toBe(0); // overdue, not done
    const p9 = s.find((u) => u.doctorId === 'P9')!;
    expect(p9.rectificationsDue).toBe(0); // due after asOf: not counted yet
    expect(p9.rectificationTimeliness).toBeNull();
    expect(p9.components).toEqual({ violation: 66.7, amount: 66.7, rectification: null });
  });

  it('hospital level aggregates departments and doctors', () => {
    const s = computeScores('hospital', activity, cases, '2026-03-15');
    const i1 = s.find((u) => u.unitId === 'I1')!;
    expect(i1.encounters).toBe(20);
    expect(i1.violatingEncounters).toBe(2);
    expect(i1.amountAtStakeFen).toBe(8_000);
    expect(i1.rectificationTimeliness).toBe(0.5);
    expect(i1.fundSafetyIndex).toBe(36.7);
    expect(s.find((u) => u.unitId === 'I2')!.fundSafetyIndex).toBe(66.7);
    const d = computeScores('department', activity, cases, '2026-03-15');
    expect(d.map((u) => u.unitId).sort()).toEqual(['I1/D1', 'I2/D9']);
  });
});
