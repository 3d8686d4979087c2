/**
 * A tiny hand-written region (a 三级 and a 二级 hospital, a few patients, one stay each) with known
 * bad rows, for importer and store tests. `BAD_ROWS` says which data row of which file must be
 * quarantined and for which reason. Identifiers are synthetic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGION_FILES, type RegionFileKind } from '../domain/index.js';

type Rows = Array<Record<string, string | number>>;

export const MINI: Record<RegionFileKind, Rows> = {
  institutions: [
    { id: 'H1', name: '合成市第一人民医院', level: '3', kind: 'hospital', regionCode: '310000' },
    { id: 'H2', name: '合成县人民医院', level: '2', kind: 'hospital', regionCode: '310000' },
  ],
  departments: [
    { id: 'H1-D01', institutionId: 'H1', name: '普通外科', deptCode: 'A07', costCategory: 'clinical', parentId: '', staffCount: 30, floorAreaM2: 800, beds: 40 },
    { id: 'H1-D02', institutionId: 'H1', name: '放射科', deptCode: '', costCategory: 'medical-technical', parentId: '', staffCount: 12, floorAreaM2: 300, beds: 0 },
    { id: 'H1-D03', institutionId: 'H1', name: '院办', deptCode: '', costCategory: 'administrative', parentId: '', staffCount: 8, floorAreaM2: 200, beds: 0 },
    { id: 'H2-D01', institutionId: 'H2', name: '内科', deptCode: 'A03', costCategory: 'clinical', parentId: '', staffCount: 20, floorAreaM2: 500, beds: 30 },
  ],
  practitioners: [
    { id: 'H1-DR1', institutionId: 'H1', departmentId: 'H1-D01', title: 'attending' },
    { id: 'H2-DR1', institutionId: 'H2', departmentId: 'H2-D01', title: 'chief' },
  ],
  persons: [
    { idNumber: '31000019800101001X', sex: '1', birthDate: '1980-01-01', scheme: 'employee', personType: 'in-service', regionCode: '310000' },
    { idNumber: '310000199002020028', sex: '2', birthDate: '1990-02-02', scheme: 'resident', personType: 'adult', regionCode: '310000' },
  ],
  catalog: [
    { code: 'XJ01CAA040A001010101234', name: '阿莫西林胶囊', category: 'drug', payClass: 'A', unit: '粒', priceCapFen: 100, selfPayFirstPermille: 0, restrictSex: '', minAgeYears: '', maxAgeYears: '', minInstitutionLevel: '', indicationPrefixes: '', benefitTypes: '', maxQuantityPerDay: '', effectiveFrom: '2020-01-01', effectiveTo: '2099-12-31' },
    { code: '001102000050000', name: '住院诊查费', category: 'service', payClass: 'A', unit: '日', priceCapFen: 2000, selfPayFirstPermille: 0, restrictSex: '', minAgeYears: '', maxAgeYears: '', minInstitutionLevel: '', indicationPrefixes: '', benefitTypes: '', maxQuantityPerDay: 1, effectiveFrom: '2020-01-01', effectiveTo: '2099-12-31' },
    { code: 'C0001', name: '一次性吻合器', category: 'consumable', payClass: 'B', unit: '个', priceCapFen: 300000, selfPayFirstPermille: 100, restrictSex: '', minAgeYears: '', maxAgeYears: '', minInstitutionLevel: '2', indicationPrefixes: '', benefitTypes: '', maxQuantityPerDay: '', effectiveFrom: '2020-01-01', effectiveTo: '2099-12-31' },
  ],
  codeMap: [
    { institutionId: 'H1', localCode: 'YP-0001', nationalCode: 'XJ01CAA040A001010101234' },
  ],
  encounters: [
    { id: 'E1', institutionId: 'H1', departmentId: 'H1-D01', personIdNumber: '31000019800101001X', doctorId: 'H1-DR1', kind: 'inpatient', benefitType: 'general', scheme: 'employee', sex: '1', ageYears: 45, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-03-01', dischargeDate: '2025-03-05', dischargeType: '1', losDays: 4, diagnoses: 'K35.800|I10.x00', procedures: '47.0100' },
    { id: 'E2', institutionId: 'H2', departmentId: 'H2-D01', personIdNumber: '310000199002020028', doctorId: 'H2-DR1', kind: 'outpatient', benefitType: 'general', scheme: 'resident', sex: '2', ageYears: 35, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-04-10', dischargeDate: '2025-04-10', dischargeType: '1', losDays: 0, diagnoses: 'J00.x00', procedures: '' },
    // bad: discharge before admission, unknown diagnosis
    { id: 'E3', institutionId: 'H1', departmentId: 'H1-D01', personIdNumber: '31000019800101001X', doctorId: 'H1-DR1', kind: 'inpatient', benefitType: 'general', scheme: 'employee', sex: '1', ageYears: 45, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-06-10', dischargeDate: '2025-06-01', dischargeType: '1', losDays: 3, diagnoses: 'ZZZ.999', procedures: '' },
    // bad: diagnosis inconsistent with sex (male, 顺产)
    { id: 'E4', institutionId: 'H1', departmentId: 'H1-D01', personIdNumber: '31000019800101001X', doctorId: 'H1-DR1', kind: 'inpatient', benefitType: 'general', scheme: 'employee', sex: '1', ageYears: 45, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-07-01', dischargeDate: '2025-07-03', dischargeType: '1', losDays: 2, diagnoses: 'O80.000', procedures: '' },
    // bad: LOS ≤ 0 for an inpatient
    { id: 'E5', institutionId: 'H1', departmentId: 'H1-D01', personIdNumber: '31000019800101001X', doctorId: 'H1-DR1', kind: 'inpatient', benefitType: 'general', scheme: 'employee', sex: '1', ageYears: 45, ageDays: 0, birthWeightGrams: 0, admitDate: '2025-08-01', dischargeDate: '2025-08-01', dischargeType: '1', losDays: 0, diagnoses: 'J18.900', procedures: '' },
  ],
  settlementLines: [
    { id: 'L1', encounterId: 'E1', institutionId: 'H1', localCode: '', itemCode: '001102000050000', itemName: '住院诊查费', category: 'service', payClass: 'A', quantity: 1, unitPriceFen: 2000, amountFen: 2000, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-01T09:00:00' },
    { id: 'L2', encounterId: 'E1', institutionId: 'H1', localCode: 'YP-0001', itemCode: '', itemName: '阿莫西林胶囊', category: 'drug', payClass: 'A', quantity: 0.5, unitPriceFen: 99, amountFen: 50, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-02T09:00:00' },
    { id: 'L3', encounterId: 'E1', institutionId: 'H1', localCode: '', itemCode: 'C0001', itemName: '一次性吻合器,"进口"', category: 'consumable', payClass: 'B', quantity: 1, unitPriceFen: 250000, amountFen: 250000, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-02T10:30:00' },
    { id: 'L4', encounterId: 'E2', institutionId: 'H2', localCode: '', itemCode: 'XJ01CAA040A001010101234', itemName: '阿莫西林胶囊', category: 'drug', payClass: 'A', quantity: 24, unitPriceFen: 80, amountFen: 1920, doctorId: 'H2-DR1', departmentId: 'H2-D01', chargedAt: '2025-04-10T10:00:00' },
    // bad: quantity 0
    { id: 'L5', encounterId: 'E1', institutionId: 'H1', localCode: '', itemCode: '001102000050000', itemName: '住院诊查费', category: 'service', payClass: 'A', quantity: 0, unitPriceFen: 2000, amountFen: 0, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-03T09:00:00' },
    // bad: amount ≠ quantity × price
    { id: 'L6', encounterId: 'E1', institutionId: 'H1', localCode: '', itemCode: '001102000050000', itemName: '住院诊查费', category: 'service', payClass: 'A', quantity: 1, unitPriceFen: 2000, amountFen: 2500, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-04T09:00:00' },
    // bad: unknown item code
    { id: 'L7', encounterId: 'E1', institutionId: 'H1', localCode: '', itemCode: 'NOPE', itemName: '?', category: 'drug', payClass: 'A', quantity: 1, unitPriceFen: 100, amountFen: 100, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-04T09:00:00' },
    // bad: unmapped local code
    { id: 'L8', encounterId: 'E1', institutionId: 'H1', localCode: 'YP-9999', itemCode: '', itemName: '?', category: 'drug', payClass: 'A', quantity: 1, unitPriceFen: 100, amountFen: 100, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-03-04T09:00:00' },
    // bad: its encounter was quarantined
    { id: 'L9', encounterId: 'E3', institutionId: 'H1', localCode: '', itemCode: '001102000050000', itemName: '住院诊查费', category: 'service', payClass: 'A', quantity: 1, unitPriceFen: 2000, amountFen: 2000, doctorId: 'H1-DR1', departmentId: 'H1-D01', chargedAt: '2025-06-10T09:00:00' },
  ],
  departmentCosts: [
    { institutionId: 'H1', departmentId: 'H1-D01', month: '2025-03', costItem: 'personnel', amountFen: 50_000_000, direct: 1 },
    { institutionId: 'H1', departmentId: 'H1-D03', month: '2025-03', costItem: 'other-operating', amountFen: 1_234_567, direct: 1 },
  ],
};

/** file → data row number (1-based, header excluded) → expected reason code */
export const BAD_ROWS: Array<{ kind: RegionFileKind; id: string; reason: string }> = [
  { kind: 'encounters', id: 'E3', reason: 'discharge-before-admission' },
  { kind: 'encounters', id: 'E3', reason: 'unknown-diagnosis' },
  { kind: 'encounters', id: 'E4', reason: 'diagnosis-sex-conflict' },
  { kind: 'encounters', id: 'E5', reason: 'los-not-positive' },
  { kind: 'settlementLines', id: 'L5', reason: 'quantity-not-positive' },
  { kind: 'settlementLines', id: 'L6', reason: 'amount-mismatch' },
  { kind: 'settlementLines', id: 'L7', reason: 'unknown-item-code' },
  { kind: 'settlementLines', id: 'L8', reason: 'unmapped-local-code' },
  { kind: 'settlementLines', id: 'L9', reason: 'unknown-encounter' },
];

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(kind: RegionFileKind, rows: Rows): string {
  const cols = REGION_FILES[kind].columns as readonly string[];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** Write the mini region as CSV files into `dir`. */
export function writeMiniRegion(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const kind of Object.keys(MINI) as RegionFileKind[]) writeFileSync(join(dir, REGION_FILES[kind].file), toCsv(kind, MINI[kind]));
}
