import { describe, expect, it } from 'vitest';
import { analyse } from './analysis.js';
import type { AnalysisRow } from './analysis.js';

const row = (over: Partial<AnalysisRow>): AnalysisRow => ({
  kind: 'inpatient', scheme: 'employee', personType: 'in-service', institutionId: 'H1', departmentId: 'D1', doctorId: 'P1', month: '2024-01', losDays: 5,
  totalFen: 10_000, fullSelfPayFen: 100, overLimitFen: 0, preSelfPayFen: 50, deductibleFen: 1000, coPayFen: 900, fundTotalFen: 7950, patientFen: 2050,
  byCategory: { drug: 6000, consumable: 1000, service: 2000, facility: 1000 }, ...over,
});

describe('analysis (事后统计)', () => {
  const rows = [row({}), row({ totalFen: 20_000, losDays: 9 }), row({ totalFen: 90_000, losDays: 30 }), row({ kind: 'outpatient', losDays: 0, totalFen: 300 })];
  it('by department: totals, averages, quota (group mean), over-quota ratio and over-4× cost', () => {
    const [inp] = analyse(rows, 'department').filter((g) => g.kind === 'inpatient');
    expect(inp!.encounters).toBe(3);
    expect(inp!.totalFen).toBe(120_000);
    expect(inp!.averageCostFen).toBe(40_000);
    expect(inp!.averageLosDays).toBeCloseTo(14.67, 2);
    expect(inp!.overQuotaEncounters).toBe(1);
    expect(inp!.over4xQuotaCostFen).toBe(0);
  });
  it('with a given quota of 20,000: 90,000 is over 4×', () => {
    const [inp] = analyse(rows, 'department', new Map([['D1', 20_000]])).filter((g) => g.kind === 'inpatient');
    expect(inp!.overQuotaRatio).toBeCloseTo(1 / 3, 4);
    expect(inp!.over4xQuotaCostFen).toBe(90_000);
  });
  it('by charge category', () => {
    const g = analyse([row({})], 'category');
    expect(g.map((x) => [x.key, x.totalFen])).toEqual([['consumable', 1000], ['drug', 6000], ['facility', 1000], ['service', 2000]]);
  });
});
