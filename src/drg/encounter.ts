import type { Encounter } from '../domain/index.js';
import type { DrgCase } from './types.js';

/**
 * Build a grouper case from a domain encounter. Numbers are passed as numbers (the grouper reads
 * them as FORMAT.md's numeric fields); `deptCode` is the 科室代码 of the encounter's department
 * (Encounter carries only the department id).
 *
 * @example
 * const c = caseFromEncounter(encounter, dept.deptCode);
 * group(c, loadScheme(chooseScheme(encounter.dischargeDate)));
 */
export function caseFromEncounter(
  encounter: Pick<
    Encounter,
    'id' | 'sex' | 'ageYears' | 'ageDays' | 'birthWeightGrams' | 'losDays' | 'dischargeType' | 'diagnoses' | 'procedures'
  >,
  deptCode = '',
): DrgCase {
  return {
    id: encounter.id,
    gender: encounter.sex,
    age: encounter.ageYears,
    ageDays: encounter.ageDays,
    weightGrams: encounter.birthWeightGrams,
    dept: deptCode,
    losDays: encounter.losDays,
    dischargeType: encounter.dischargeType,
    diagnoses: encounter.diagnoses,
    procedures: encounter.procedures,
  };
}
