/** Chinese-first labels for closed vocabularies the API sends as codes. */

/** Irregularity / case types (src/domain IRREGULARITY_TYPES; docs/irregularities.md). */
export const CASE_TYPE_LABELS: Record<string, { zh: string; en: string }> = {
  'split-admission': { zh: '分解住院', en: 'Split admission' },
  'phantom-stay': { zh: '挂床住院', en: 'Phantom stay' },
  'drug-substitution': { zh: '串换药品', en: 'Drug substitution' },
  'duplicate-charge': { zh: '重复收费', en: 'Duplicate charge' },
  'over-price-cap': { zh: '超标准收费', en: 'Over price cap' },
  'over-frequency': { zh: '超量/超频', en: 'Over frequency' },
  'sex-restricted': { zh: '限性别', en: 'Sex-restricted item' },
  'age-restricted': { zh: '限年龄', en: 'Age-restricted item' },
  upcoding: { zh: '高编高套', en: 'Upcoding' },
  'over-examination': { zh: '过度检查', en: 'Over-examination' },
  'doctor-high-frequency': { zh: '医师高频开药', en: 'High-frequency prescriber' },
};

/** Case states 案件状态 (src/casework CASE_STATES). */
export const CASE_STATE_LABELS: Record<string, { zh: string; en: string }> = {
  open: { zh: '待通知', en: 'Open' },
  notified: { zh: '已通知', en: 'Notified' },
  appealed: { zh: '已申诉', en: 'Appealed' },
  deducted: { zh: '已扣款', en: 'Deducted' },
  cleared: { zh: '已撤销', en: 'Cleared' },
};

/** Region file kinds (src/domain REGION_FILES keys) 文件类别. */
export const FILE_KIND_LABELS: Record<string, { zh: string; en: string }> = {
  institutions: { zh: '医疗机构', en: 'Institutions' },
  departments: { zh: '科室', en: 'Departments' },
  practitioners: { zh: '医务人员', en: 'Practitioners' },
  persons: { zh: '参保人', en: 'Insured persons' },
  catalog: { zh: '医保目录', en: 'Catalog' },
  codeMap: { zh: '编码对照', en: 'Code map' },
  encounters: { zh: '就诊记录', en: 'Encounters' },
  settlementLines: { zh: '结算明细', en: 'Settlement lines' },
  departmentCosts: { zh: '科室成本', en: 'Department costs' },
};
