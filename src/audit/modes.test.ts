/** Pre-order and real-time modes run the same compiled rules; the stream evaluator is restart-safe. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Label, SettlementLine } from '../domain/index.js';
import { checkOrder, compileRules, createStreamEvaluator, loadRuleLibrary, scoreFindings } from './index.js';
import type { Alert, AuditEncounter } from './index.js';
import { CATALOG, CODES, CODE_MAPPINGS, encounter, line, stay } from './fixtures.js';

const library = loadRuleLibrary();
const plan = compileRules(library, { asOf: '2026-11-23', region: { catalog: CATALOG, codeMappings: CODE_MAPPINGS } });

describe('checkOrder (事前)', () => {
  const base = {
    patient: { sex: '2' as const, ageYears: 40 },
    encounter: { kind: 'outpatient' as const, institutionId: 'H1', institutionLevel: '3' as const, doctorId: 'DR1', admitDate: '2026-03-02', diagnoses: ['J06.900'] },
  };
  it('blocks a drug the NHSA restricts to men for a female patient', () => {
    const r = checkOrder(plan, { ...base, order: { itemCode: 'XL02BBA326A001010102180', quantity: 1, at: '2026-03-02T09:00:00' } });
    expect(r.decision).toBe('block');
    expect(r.verdicts.map((v) => v.ruleId)).toContain('NHSA-67-DRUG-SEX');
    expect(r.verdicts[0]!.messageZh).toContain('限男性使用');
  });
  it('passes an unrestricted order', () => {
    const r = checkOrder(plan, { ...base, order: { itemCode: CODES.cheapDrug, quantity: 1, at: '2026-03-02T09:00:00' } });
    expect(r).toEqual({ decision: 'pass', verdicts: [] });
  });
  it('counts the day\'s earlier orders for per-day limits and reports only on the proposed order', () => {
    const earlier = [{ itemCode: CODES.dailyDrug, quantity: 2, at: '2026-03-02T08:00:00' }];
    const ok = checkOrder(plan, { ...base, earlier, order: { itemCode: CODES.dailyDrug, quantity: 1, at: '2026-03-02T12:00:00' } });
    expect(ok.verdicts.map((v) => v.ruleId)).not.toContain('NHSA-68-DRUG-DOSE');
    const over = checkOrder(plan, { ...base, earlier, order: { itemCode: CODES.dailyDrug, quantity: 2, at: '2026-03-02T12:00:00' } });
    expect(over.verdicts.map((v) => v.ruleId)).toContain('NHSA-68-DRUG-DOSE');
  });
  it('over-examination is flagged before the exam is done', () => {
    const r = checkOrder(plan, { ...base, encounter: { ...base.encounter, diagnoses: ['J00.x00'] }, order: { itemCode: CODES.chestCt, quantity: 1, at: '2026-03-02T09:00:00' } });
    expect(r.verdicts.map((v) => v.ruleId)).toContain('NHSA-78-OVER-EXAMINATION');
  });
});

describe('createStreamEvaluator (事中)', () => {
  // a small stream: a duplicate charge, a sex-restricted drug, a doctor prescribing one drug to 8 patients in 50 minutes
  function buildStream(): { line: SettlementLine; ctx: AuditEncounter }[] {
    const out: { line: SettlementLine; ctx: AuditEncounter }[] = [];
    const s = stay('2026-03-01', 4);
    const ctx = { encounter: s, institutionLevel: '3' as const };
    for (const [k, at] of ['2026-03-01T08:00:00', '2026-03-02T08:00:00', '2026-03-02T08:00:00', '2026-03-03T08:00:00'].entries())
      out.push({ line: line(s, '001102000050000', { chargedAt: at, id: `S-${k}` }), ctx });
    const f = encounter({ sex: '2', admitDate: '2026-03-02', dischargeDate: '2026-03-02' });
    out.push({ line: line(f, 'XL02BBA326A001010102180', { chargedAt: '2026-03-02T10:00:00' }), ctx: { encounter: f, institutionLevel: '3' } });
    for (let k = 0; k < 9; k++) {
      const e = encounter({ doctorId: 'DR7', admitDate: '2026-03-03', dischargeDate: '2026-03-03' });
      out.push({ line: line(e, CODES.cheapDrug, { chargedAt: `2026-03-03T10:${String(k * 6).padStart(2, '0')}:00` }), ctx: { encounter: e, institutionLevel: '3' } });
    }
    return out;
  }

  it('emits alerts as lines arrive', () => {
    const ev = createStreamEvaluator(plan);
    const alerts = buildStream().flatMap(({ line: l, ctx }) => ev.push(l, ctx));
    const rules = new Set(alerts.map((a) => a.ruleId));
    expect(rules).toContain('NHSA-25-DUPLICATE-SAME');
    expect(rules).toContain('NHSA-67-DRUG-SEX');
    expect(rules).toContain('MF-DOCTOR-HIGH-FREQUENCY');
    const keys = alerts.map((a) => a.alertKey);
    expect(new Set(keys).size).toBe(keys.length);
    // the 9th prescription extends the window: one more alert for its own line, none repeated
    const doc = alerts.filter((a) => a.ruleId === 'MF-DOCTOR-HIGH-FREQUENCY');
    expect(doc.flatMap((a) => a.lineIds).length).toBe(9);
  });

  it('killed at any point and restored from its snapshot: no alert lost, none duplicated', () => {
    const stream = buildStream();
    const reference = createStreamEvaluator(plan);
    const all = stream.flatMap(({ line: l, ctx }) => reference.push(l, ctx)).map((a) => a.alertKey);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: stream.length }), fc.integer({ min: 0, max: 3 }), (cut, redeliver) => {
        const first = createStreamEvaluator(plan);
        const got: Alert[] = [];
        for (const { line: l, ctx } of stream.slice(0, cut)) got.push(...first.push(l, ctx));
        const snap = JSON.parse(JSON.stringify(first.snapshot()));
        const second = createStreamEvaluator(plan);
        second.restore(snap);
        // at-least-once delivery: the last few lines before the cut arrive again
        for (const { line: l, ctx } of stream.slice(Math.max(0, cut - redeliver))) got.push(...second.push(l, ctx));
        const keys = got.map((a) => a.alertKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.sort()).toEqual([...all].sort());
      }),
      { numRuns: 40 },
    );
  });

  it('drops the state of encounters long discharged', () => {
    const ev = createStreamEvaluator(plan, { retainDays: 2 });
    const a = encounter({ admitDate: '2026-03-01', dischargeDate: '2026-03-01' });
    ev.push(line(a, CODES.ward, { chargedAt: '2026-03-01T09:00:00' }), { encounter: a, institutionLevel: '3' });
    const b = encounter({ admitDate: '2026-03-10', dischargeDate: '2026-03-10' });
    ev.push(line(b, CODES.ward, { chargedAt: '2026-03-10T09:00:00' }), { encounter: b, institutionLevel: '3' });
    expect(ev.openEncounters).toBe(1);
  });

  it('rejects a snapshot of another format', () => {
    expect(() => createStreamEvaluator(plan).restore({ format: 'x' })).toThrow(/snapshot/);
  });
});

describe('scoreFindings', () => {
  it('scores per type exactly as docs/irregularities.md defines', () => {
    const labels: Label[] = [
      { type: 'split-admission', encounterIds: ['A', 'B'], lineIds: [] },
      { type: 'split-admission', encounterIds: ['C', 'D'], lineIds: [] },
      { type: 'over-price-cap', encounterIds: ['E'], lineIds: ['l1'] },
    ];
    const vs = [
      { type: 'split-admission' as const, encounterId: 'B' },
      { type: 'split-admission' as const, encounterId: 'B' },
      { type: 'split-admission' as const, encounterId: 'X' },
      { type: 'over-price-cap' as const, encounterId: 'E' },
      { encounterId: 'E' },
    ];
    const s = Object.fromEntries(scoreFindings(vs, labels).map((t) => [t.type, t]));
    expect(s['split-admission']).toMatchObject({ precision: 0.5, recall: 0.5, truePositives: 1, falsePositives: 1, falseNegatives: 1, falsePositiveEncounters: ['X'] });
    expect(s['over-price-cap']).toMatchObject({ precision: 1, recall: 1, truePositives: 1 });
    expect(s['upcoding']).toMatchObject({ precision: 1, recall: 1, truePositives: 0, falsePositives: 0, falseNegatives: 0 });
  });
});
