import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { allocateLargestRemainder } from '../domain/index.js';
import { parsePolicy } from './policy.js';
import type { Policy } from './policy.js';
import { settle } from './settle.js';
import type { SettlementResult } from './settle.js';
import { catalogOf, encounter, item } from './test-helpers.js';
import type { LineInput } from './classify.js';
import type { YearToDate } from './accumulators.js';

const catalog = catalogOf({
  A: item('A'),
  B10: item('B', 100),
  B30: item('B', 300),
  C: item('C'),
  CAP: item('A', 0, { priceCapFen: 500 }),
  OLD: item('A', 0, { restrictions: { minAgeYears: 60 } }),
  IMP: item('B', 500),
});
const CODES = ['A', 'B10', 'B30', 'C', 'CAP', 'OLD', 'IMP', 'UNKNOWN'] as const;

const lineArb = fc.record({
  code: fc.constantFrom(...CODES),
  quantity: fc.integer({ min: 1, max: 5 }),
  unitPriceFen: fc.integer({ min: 0, max: 2_000_000 }),
});
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 12 }).map((ls) =>
  ls.map((l, i): LineInput => ({
    id: `l${i}`,
    itemCode: l.code,
    category: l.code === 'IMP' ? 'consumable' : 'drug',
    payClass: l.code === 'C' || l.code === 'UNKNOWN' ? 'C' : l.code.startsWith('B') || l.code === 'IMP' ? 'B' : 'A',
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    amountFen: l.quantity * l.unitPriceFen,
  })),
);

interface Params {
  dedFen: number;
  laterPermille: number;
  bounds: number[];
  ratesBp: number[];
  capFen: number | null;
  capBasis: 'fund' | 'cost';
  basis: 'encounter' | 'ytd-cost';
  t2: boolean;
  assist: boolean;
  outDed: number;
  outRate: number;
}
const paramsArb: fc.Arbitrary<Params> = fc.record({
  dedFen: fc.integer({ min: 0, max: 300_000 }),
  laterPermille: fc.integer({ min: 0, max: 1000 }),
  bounds: fc.uniqueArray(fc.integer({ min: 100_000, max: 50_000_000 }), { maxLength: 3 }).map((b) => b.sort((x, y) => x - y)),
  ratesBp: fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: 4, maxLength: 4 }),
  capFen: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
  capBasis: fc.constantFrom('fund' as const, 'cost' as const),
  basis: fc.constantFrom('encounter' as const, 'ytd-cost' as const),
  t2: fc.boolean(),
  assist: fc.boolean(),
  outDed: fc.integer({ min: 0, max: 200_000 }),
  outRate: fc.integer({ min: 0, max: 10000 }),
});

function policyOf(p: Params, rateShiftBp = 0): Policy {
  const rates = p.ratesBp.map((r) => Math.max(0, r - rateShiftBp));
  const bands = [...p.bounds.map((b) => b as number | null), null].map((upToFen, i) => ({ upToFen, fundRateBp: { '1': rates[i]!, '2': rates[i]!, '3': rates[i]! } }));
  return parsePolicy({
    id: 'prop',
    region: { code: '999999', name: 'property' },
    effectiveFrom: '2020-01-01',
    effectiveTo: '2030-12-31',
    sources: [{ title: 'generated', url: 'n/a', reliability: 'C', supports: 'property test' }],
    lines: { defaultSelfPayFirstPermille: { drug: 100 }, itemRules: [{ codePrefix: 'IMP', label: 'implant', fixedFundRateBp: Math.max(0, 7000 - rateShiftBp) }] },
    schemes: {
      employee: {
        label: 'prop',
        inpatient: [
          {
            label: 'all',
            deductible: { byLevelFen: { '1': p.dedFen, '2': p.dedFen, '3': p.dedFen }, laterAdmissions: [{ fromAdmission: 2, permilleOfFirst: p.laterPermille }], yearlyCapFen: p.dedFen * 2 },
            bandBasis: p.basis,
            bands,
            fundCap: p.capFen === null ? null : { basis: p.capBasis, amountFen: p.capFen },
          },
        ],
        outpatient: [{
          label: 'all', yearlyDeductibleFen: p.outDed, fundRateBp: { '1': Math.max(0, p.outRate - rateShiftBp), '2': Math.max(0, p.outRate - rateShiftBp), '3': Math.max(0, p.outRate - rateShiftBp) }, yearlyFundCapFen: 300_000,
          // year-cumulative outpatient bands on half of the runs
          ...(p.basis === 'ytd-cost' ? { bands: [
            { upToFen: 200_000, fundRateBp: { '1': Math.max(0, p.outRate - rateShiftBp), '2': Math.max(0, p.outRate - rateShiftBp), '3': Math.max(0, p.outRate - rateShiftBp) } },
            { upToFen: null, fundRateBp: { '1': Math.max(0, p.outRate - 1000 - rateShiftBp), '2': Math.max(0, p.outRate - 1000 - rateShiftBp), '3': Math.max(0, p.outRate - 1000 - rateShiftBp) } },
          ] } : {}),
        }],
        tier2: p.t2
          ? { kind: 'large-amount', label: 't2', base: 'personal-copay', yearlyDeductibleFen: 100_000, bands: [{ upToFen: 2_000_000, rateBp: 6000 }, { upToFen: null, rateBp: 7000 }], yearlyCapFen: 5_000_000, appliesTo: ['inpatient', 'outpatient'] }
          : null,
        assistance: p.assist
          ? { label: 'a', eligibleCategories: ['low-income'], steps: [{ label: 's1', thresholdFen: 0, rateBp: 5000 }, { label: 's2', thresholdFen: 300_000, rateBp: 6000 }], yearlyCapFen: 1_000_000 }
          : null,
        account: { paysFullSelfPay: false },
      },
    },
  });
}

const visitArb = fc.record({
  inpatient: fc.boolean(),
  level: fc.constantFrom('1' as const, '2' as const, '3' as const),
  age: fc.integer({ min: 0, max: 100 }),
  lines: linesArb,
});

function run(policy: Policy, v: { inpatient: boolean; level: '1' | '2' | '3'; age: number; lines: LineInput[] }, ytd: YearToDate | undefined, id = 'E'): SettlementResult {
  return settle(
    {
      encounter: encounter({ id, kind: v.inpatient ? 'inpatient' : 'outpatient', ageYears: v.age }),
      lines: v.lines,
      institutionLevel: v.level,
      personType: 'in-service',
      assistanceCategory: 'low-income',
      useAccount: true,
    },
    policy,
    ytd,
    catalog,
  );
}

function checkInvariants(r: SettlementResult): void {
  for (const l of r.lines) {
    expect(l.fundFen + l.patientFen).toBe(l.amountFen);
    expect(l.fullSelfPayFen + l.overLimitFen + l.preSelfPayFen + l.inScopeFen).toBe(l.amountFen);
    for (const v of [l.fundFen, l.patientFen, l.fullSelfPayFen, l.overLimitFen, l.preSelfPayFen, l.inScopeFen]) expect(v).toBeGreaterThanOrEqual(0);
    expect(l.fundFen).toBeLessThanOrEqual(l.inScopeFen);
  }
  const nums = [r.totalFen, r.fullSelfPayFen, r.overLimitFen, r.preSelfPayFen, r.inScopeFen, r.deductibleFen, r.coPayFen, r.aboveCapFen, r.fundFen, r.tier2Fen, r.assistanceFen, r.patientFen, r.accountFen, r.cashFen];
  for (const v of nums) expect(Number.isInteger(v) && v >= 0).toBe(true);
  expect(r.fullSelfPayFen + r.overLimitFen + r.preSelfPayFen + r.inScopeFen).toBe(r.totalFen);
  expect(r.fundTotalFen + r.patientFen).toBe(r.totalFen);
  expect(r.accountFen + r.cashFen).toBe(r.patientFen);
  expect(r.lines.reduce((s, l) => s + l.fundFen, 0)).toBe(r.fundTotalFen);
}

describe('settlement invariants', () => {
  test.prop([paramsArb, fc.array(visitArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 5_000_000 })], { numRuns: 150 })(
    'fund + patient = total per line and encounter, nothing negative, across a year of visits',
    (p, visits, balance) => {
      const policy = policyOf(p);
      let ytd: YearToDate | undefined = { ...emptyYtd(), accountBalanceFen: balance };
      for (const v of visits) {
        const r = run(policy, v, ytd);
        checkInvariants(r);
        // the in-place attribution equals the domain's largest-remainder allocation over pool lines
        const pool = r.lines.filter((l, i) => v.lines[i]!.itemCode !== 'IMP' && l.inScopeFen > 0);
        const poolFund = pool.reduce((s2, l) => s2 + l.fundFen, 0);
        if (pool.length && poolFund > 0) expect(pool.map((l) => l.fundFen)).toEqual(allocateLargestRemainder(poolFund, pool.map((l) => l.inScopeFen)));
        ytd = r.ytd;
      }
    },
  );

  test.prop([paramsArb, fc.array(visitArb, { minLength: 1, maxLength: 8 })], { numRuns: 300 })(
    'the deductible is taken once per rule: per admission by its number, within the yearly cap; outpatient once a year',
    (p, visits) => {
      const policy = policyOf(p);
      let ytd: YearToDate | undefined;
      let inpDed = 0, outDed = 0, outScope = 0, admissions = 0;
      for (const v of visits) {
        const r = run(policy, v, ytd);
        if (r.path === 'inpatient') {
          admissions++;
          const ruleAmount = admissions === 1 ? p.dedFen : Math.floor((p.dedFen * p.laterPermille) / 1000 + 0.5);
          expect(r.deductibleFen).toBeLessThanOrEqual(ruleAmount);
          inpDed += r.deductibleFen;
        } else {
          outDed += r.deductibleFen;
          outScope += r.inScopeFen - r.lines.filter((l) => l.lineId && v.lines.find((x) => x.id === l.lineId)?.itemCode === 'IMP').reduce((s, l) => s + l.inScopeFen, 0);
        }
        ytd = r.ytd;
      }
      expect(inpDed).toBeLessThanOrEqual(p.dedFen * 2);
      expect(ytd!.inpatientDeductibleFen).toBe(inpDed);
      expect(outDed).toBe(Math.min(p.outDed, outScope));
    },
  );

  test.prop([paramsArb, visitArb, fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 3 })], { numRuns: 300 })(
    'raising the co-pay ratio (lowering every fund share) never lowers the patient part',
    (p, v, shift, earlier) => {
      const a = policyOf(p, 0);
      const b = policyOf(p, shift);
      // per encounter, from the same accumulators: the patient part never falls
      let ytd: YearToDate | undefined;
      for (let i = 0; i < earlier; i++) ytd = run(a, v, ytd).ytd;
      expect(run(b, v, ytd).patientFen).toBeGreaterThanOrEqual(run(a, v, ytd).patientFen);
      // over a year (each policy with its own history) it never falls by more than the per-settlement
      // rounding (≤ 1 fen per settlement: half-up rounding lands on different visits once caps bind)
      let ta = 0, tb = 0;
      let ya: YearToDate | undefined, yb: YearToDate | undefined;
      for (let i = 0; i <= earlier; i++) {
        const x = run(a, v, ya); ta += x.patientFen; ya = x.ytd;
        const y = run(b, v, yb); tb += y.patientFen; yb = y.ytd;
      }
      expect(tb).toBeGreaterThanOrEqual(ta - (earlier + 1));
    },
  );
});

function emptyYtd(): YearToDate {
  return { year: 2023, admissions: 0, inpatientDeductibleFen: 0, inpatientEligibleFen: 0, inpatientFundFen: 0, outpatientDeductibleFen: 0, outpatientEligibleFen: 0, outpatientFundFen: 0, chronicDeductibleFen: 0, chronicFundFen: 0, tier2BaseFen: 0, tier2PaidFen: 0, assistancePaidFen: 0, accountBalanceFen: 0 };
}
