/**
 * Row → CSV text for the region files, columns in the order of src/domain/files.ts (REGION_FILES).
 * Lists are `|`-joined, booleans 1/0, absent optional values empty. Quoting per RFC 4180 only when a
 * value needs it (names may contain commas).
 */
import { REGION_FILES, type CatalogItem, type CodeMapping, type Department, type DepartmentCost, type Institution, type Practitioner } from '../domain/index.js';
import type { EncounterRow, LineRow, PersonRow } from './generate.js';

const NEEDS_QUOTE = /[",\r\n]/;

export function csvField(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = typeof v === 'number' ? String(v) : v;
  return NEEDS_QUOTE.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvHeader = (kind: keyof typeof REGION_FILES): string => `${REGION_FILES[kind].columns.join(',')}\n`;

const f = csvField;

export const toCsv = {
  institutions: (r: Institution): string => `${f(r.id)},${f(r.name)},${r.level},${r.kind},${r.regionCode}\n`,
  departments: (r: Department): string =>
    `${f(r.id)},${f(r.institutionId)},${f(r.name)},${f(r.deptCode)},${r.costCategory},${f(r.parentId)},${r.staffCount},${r.floorAreaM2},${r.beds}\n`,
  practitioners: (r: Practitioner): string => `${f(r.id)},${f(r.institutionId)},${f(r.departmentId)},${r.title}\n`,
  persons: (r: PersonRow): string => `${r.idNumber},${r.sex},${r.birthDate},${r.scheme},${r.personType},${r.regionCode}\n`,
  catalog: (r: CatalogItem): string => {
    const x = r.restrictions;
    return [
      f(r.code), f(r.name), r.category, r.payClass, f(r.unit), r.priceCapFen, r.selfPayFirstPermille, f(x.sex), f(x.minAgeYears), f(x.maxAgeYears),
      f(x.minInstitutionLevel), f(x.indicationPrefixes?.join('|')), f(x.benefitTypes?.join('|')), f(x.maxQuantityPerDay), r.effectiveFrom, r.effectiveTo,
    ].join(',') + '\n';
  },
  codeMap: (r: CodeMapping): string => `${f(r.institutionId)},${f(r.localCode)},${f(r.nationalCode)}\n`,
  encounters: (r: EncounterRow): string =>
    `${r.id},${r.institutionId},${r.departmentId},${r.personIdNumber},${r.doctorId},${r.kind},${r.benefitType},${r.scheme},${r.sex},${r.ageYears},${r.ageDays},${r.birthWeightGrams},${r.admitDate},${r.dischargeDate},${r.dischargeType},${r.losDays},${f(r.diagnoses.join('|'))},${f(r.procedures.join('|'))}\n`,
  settlementLines: (r: LineRow): string =>
    `${r.id},${r.encounterId},${r.institutionId},${f(r.localCode)},${f(r.itemCode)},${f(r.itemName)},${r.category},${r.payClass},${r.quantity},${r.unitPriceFen},${r.amountFen},${r.doctorId},${r.departmentId},${r.chargedAt}\n`,
  departmentCosts: (r: DepartmentCost): string => `${r.institutionId},${r.departmentId},${r.month},${r.costItem},${r.amountFen},${r.direct ? 1 : 0}\n`,
};
