import { describe, expect, it } from 'vitest';
import { monitorDepartments, projectYear } from './monitoring.js';

describe('monitoring alerts', () => {
  it('projects straight-line and raises each alert kind past its threshold', () => {
    expect(projectYear(50_000, 73, 365)).toBe(250_000);
    const alerts = monitorDepartments(
      [
        { departmentId: 'ICU', allocatedFen: 200_000, ytdClaimsFen: 50_000, totalFen: 100_000, drugFen: 45_000, consumableFen: 25_000, expensiveDrugFen: 20_000, inpatientStays: 10, losDaysSum: 120, transfers: 2 },
        { departmentId: 'ENT', allocatedFen: 300_000, ytdClaimsFen: 50_000, totalFen: 100_000, drugFen: 20_000, consumableFen: 10_000, expensiveDrugFen: 1_000, inpatientStays: 10, losDaysSum: 60, transfers: 0 },
      ],
      { daysElapsed: 73, daysInYear: 365 },
    );
    expect(alerts.filter((a) => a.departmentId === 'ENT')).toEqual([]);
    expect(alerts.map((a) => a.kind)).toEqual(['quota-overrun', 'drug-share', 'consumable-share', 'expensive-drug', 'average-los', 'transfer-share']);
    expect(alerts[0]!.value).toBe(2500); // 250,000 vs 200,000 → +25%
  });
});
