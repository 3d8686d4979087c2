/**
 * The region file set: what `medfund synth` writes and `medfund import DIR` reads, with the CSV
 * columns in order. Lists (`diagnoses`, `procedures`, `indicationPrefixes`, `benefitTypes`) are
 * `|`-separated, principal first. Money columns end in `Fen` (integer fen); an importer also accepts
 * the same column without the suffix in yuan (e.g. `amount` = "12.34") as hospital exports do.
 * Booleans are `1`/`0`. Files are imported in this order so references resolve.
 */
export const REGION_FILES = {
  institutions: {
    file: 'institutions.csv',
    columns: ['id', 'name', 'level', 'kind', 'regionCode'],
  },
  departments: {
    file: 'departments.csv',
    columns: ['id', 'institutionId', 'name', 'deptCode', 'costCategory', 'parentId', 'staffCount', 'floorAreaM2', 'beds'],
  },
  practitioners: {
    file: 'practitioners.csv',
    columns: ['id', 'institutionId', 'departmentId', 'title'],
  },
  /** `idNumber` is the (synthetic) national id number; ingest replaces it by a keyed pseudonym. */
  persons: {
    file: 'persons.csv',
    columns: ['idNumber', 'sex', 'birthDate', 'scheme', 'personType', 'regionCode'],
  },
  catalog: {
    file: 'catalog.csv',
    columns: [
      'code', 'name', 'category', 'payClass', 'unit', 'priceCapFen', 'selfPayFirstPermille',
      'restrictSex', 'minAgeYears', 'maxAgeYears', 'minInstitutionLevel', 'indicationPrefixes',
      'benefitTypes', 'maxQuantityPerDay', 'effectiveFrom', 'effectiveTo',
    ],
  },
  codeMap: {
    file: 'code-map.csv',
    columns: ['institutionId', 'localCode', 'nationalCode'],
  },
  /** `personIdNumber` is pseudonymised at ingest into `personId`. */
  encounters: {
    file: 'encounters.csv',
    columns: [
      'id', 'institutionId', 'departmentId', 'personIdNumber', 'doctorId', 'kind', 'benefitType', 'scheme',
      'sex', 'ageYears', 'ageDays', 'birthWeightGrams', 'admitDate', 'dischargeDate', 'dischargeType',
      'losDays', 'diagnoses', 'procedures',
    ],
  },
  /** `itemCode` may be empty when `localCode` is mapped through code-map.csv. */
  settlementLines: {
    file: 'settlement-lines.csv',
    columns: [
      'id', 'encounterId', 'institutionId', 'localCode', 'itemCode', 'itemName', 'category', 'payClass',
      'quantity', 'unitPriceFen', 'amountFen', 'doctorId', 'departmentId', 'chargedAt',
    ],
  },
  departmentCosts: {
    file: 'department-costs.csv',
    columns: ['institutionId', 'departmentId', 'month', 'costItem', 'amountFen', 'direct'],
  },
} as const;

export type RegionFileKind = keyof typeof REGION_FILES;

/** Ground truth of injected irregularities, one JSON object per line: {type, encounterIds, lineIds}. */
export const LABELS_FILE = 'labels.jsonl';
