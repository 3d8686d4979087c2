import { describe, expect, it } from 'vitest';
import { compareMethods } from './best-method.js';
import type { SettlementResult } from './settle.js';

const item = { totalFen: 1_800_000, patientFen: 450_000, fundTotalFen: 1_350_000 } as SettlementResult;

describe('best payment method before discharge', () => {
  it('DRG case of shared/notes/drg-payment-costing.md §1.3: standard 21,587.30, charges 18,000, patient 4,500 → fund 17,087.30, margin 3,587.30', () => {
    const r = compareMethods({ item, drg: { paymentFen: 2_158_730, group: 'B', caseType: 'normal' }, singleDisease: { code: 'x', name: 'x', mode: 'fixed', standardFen: 1_700_000, patientShareBp: 2000 } });
    const drg = r.positions.find((p) => p.method === 'drg')!;
    expect(drg.fundFen).toBe(1_708_730);
    expect(drg.hospitalMarginFen).toBe(358_730);
    const sd = r.positions.find((p) => p.method === 'single-disease')!;
    expect(sd.patientFen).toBe(340_000);
    expect(r.best).toBe('drg');
  });
  it('never picks a method that raises the patient part', () => {
    const r = compareMethods({ item, singleDisease: { code: 'x', name: 'x', mode: 'fixed', standardFen: 3_000_000, patientShareBp: 5000 } });
    expect(r.best).toBe('item');
  });
});

describe('projection to discharge', () => {
  it('margins are measured against the projected charges and the patient part scales with them', () => {
    const r = compareMethods({ item, drg: { paymentFen: 2_158_730, group: 'B', caseType: 'normal' }, projectedChargesFen: 3_600_000 });
    const it0 = r.positions[0]!;
    expect(it0.patientFen).toBe(900_000);
    expect(it0.fundFen + it0.patientFen).toBe(3_600_000);
    expect(r.positions[1]!.hospitalMarginFen).toBe(2_158_730 - 3_600_000);
    expect(r.best).toBe('item');
  });
});
