import { describe, expect, it } from 'vitest';
import { REGION_FILES } from '../domain/index.js';
import { csvField, csvHeader, toCsv } from './csv.js';

describe('CSV rows', () => {
  it('quotes only what needs quoting', () => {
    expect(csvField('普通病房床位费')).toBe('普通病房床位费');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(undefined)).toBe('');
    expect(csvField(true)).toBe('1');
    expect(csvField(0)).toBe('0');
  });

  it('headers follow REGION_FILES and rows have as many fields as columns', () => {
    expect(csvHeader('encounters')).toBe(`${REGION_FILES.encounters.columns.join(',')}\n`);
    const enc = toCsv.encounters({
      id: 'IP1', institutionId: 'H1', departmentId: 'D1', personIdNumber: '990100198001010011', doctorId: 'P1', kind: 'inpatient', benefitType: 'general',
      scheme: 'employee', sex: '1', ageYears: 45, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-01-01', dischargeDate: '2025-01-05', dischargeType: '1',
      losDays: 4, diagnoses: ['J18.900', 'I10.x00'], procedures: [],
    });
    expect(enc.trimEnd().split(',')).toHaveLength(REGION_FILES.encounters.columns.length);
    expect(enc).toContain(',J18.900|I10.x00,\n');
    const cat = toCsv.catalog({
      code: 'X1', name: '药,品', category: 'drug', payClass: 'B', unit: '片', priceCapFen: 100, selfPayFirstPermille: 100,
      restrictions: { sex: '2', maxAgeYears: 17, maxQuantityPerDay: 3 }, effectiveFrom: '2023-01-01', effectiveTo: '2099-12-31',
    });
    expect(cat).toBe('X1,"药,品",drug,B,片,100,100,2,,17,,,,3,2023-01-01,2099-12-31\n');
  });
});
