/**
 * Test fixtures for the audit engine: a small synthetic catalog and builders for encounters and
 * lines. Used by the *.test.ts files and the benchmark; never by product code paths.
 */
import type { CatalogItem, CodeMapping, Encounter, SettlementLine } from '../domain/index.js';
import { lineAmountFen } from '../domain/index.js';

const cat = (code: string, name: string, category: CatalogItem['category'], extra: Partial<CatalogItem> = {}, restrictions: CatalogItem['restrictions'] = {}): CatalogItem => ({
  code,
  name,
  category,
  payClass: 'A',
  unit: '次',
  priceCapFen: 0,
  selfPayFirstPermille: 0,
  restrictions,
  effectiveFrom: '2020-01-01',
  effectiveTo: '9999-12-31',
  ...extra,
});

/** Fabricated catalog codes (ATC-shaped western-drug codes where a rule reads the ATC class). */
export const CODES = {
  levofloxacin: 'XJ01MAL001A001010100001', // 氟喹诺酮 J01MA
  meropenem: 'XJ01DHM002B002010100001', // 碳青霉烯 J01DH
  warfarin: 'XB01AAH003A001010100001',
  ibuprofen: 'XM01AEB004A001010100001',
  diazepam: 'XN05BAD005A001010100001',
  atorvastatin: 'XC10AAA006A001010100001',
  simvastatin: 'XC10AAS007A001010100001',
  amoxicillin: 'XJ01CAA008A001010100001',
  cheapDrug: 'XA02BCO009A001010100001',
  dearDrug: 'XA02BCE010A001010100001',
  sexDrugF: 'MFD-F-ONLY',
  childDrug: 'MFD-CHILD',
  levelDrug: 'MFD-LEVEL3',
  indicDrug: 'MFD-INDIC',
  dailyDrug: 'MFD-DAILY',
  maternityService: 'MFS-MATERNITY',
  cappedService: 'MFS-CAPPED',
  bedFee: 'MFF-BED',
  nursing: 'MFF-NURSING',
  ward: 'MFS-WARD-ROUND',
  stent: 'MFC-STENT',
  iohexol: 'MFD-IOHEXOL',
  oxygen: 'MFS0001',
  chestCt: 'MFS0011',
  herbA: 'T000000001',
  herbB: 'T000000002',
  herbC: 'T000000003',
  xray: 'MFS-XRAY',
  mri: 'MFS-MRI',
} as const;

export const CATALOG: CatalogItem[] = [
  cat(CODES.levofloxacin, '左氧氟沙星片', 'drug'),
  cat(CODES.meropenem, '注射用美罗培南', 'drug'),
  cat(CODES.warfarin, '华法林钠片', 'drug'),
  cat(CODES.ibuprofen, '布洛芬缓释胶囊', 'drug'),
  cat(CODES.diazepam, '地西泮片', 'drug'),
  cat(CODES.atorvastatin, '阿托伐他汀钙片', 'drug'),
  cat(CODES.simvastatin, '辛伐他汀片', 'drug'),
  cat(CODES.amoxicillin, '阿莫西林胶囊', 'drug'),
  cat(CODES.cheapDrug, '奥美拉唑肠溶胶囊', 'drug', { priceCapFen: 100 }),
  cat(CODES.dearDrug, '艾司奥美拉唑镁肠溶片', 'drug', { priceCapFen: 900 }),
  cat(CODES.sexDrugF, '测试女用药', 'drug', {}, { sex: '2' }),
  cat(CODES.childDrug, '测试儿童用药', 'drug', {}, { maxAgeYears: 14 }),
  cat(CODES.levelDrug, '测试三级医院用药', 'drug', {}, { minInstitutionLevel: '3' }),
  cat(CODES.indicDrug, '测试限糖尿病用药', 'drug', {}, { indicationPrefixes: ['E11'] }),
  cat(CODES.dailyDrug, '测试限每日3片', 'drug', { unit: '片' }, { maxQuantityPerDay: 3 }),
  cat(CODES.maternityService, '测试生育项目', 'service', {}, { benefitTypes: ['maternity'] }),
  cat(CODES.cappedService, '测试限价项目', 'service', { priceCapFen: 1000 }),
  cat(CODES.bedFee, '普通病房床位费', 'facility', { unit: '日' }, { maxQuantityPerDay: 1 }),
  cat(CODES.nursing, 'Ⅱ级护理', 'facility', { unit: '日' }),
  cat(CODES.ward, '查房', 'service'),
  cat(CODES.stent, '冠状动脉药物支架', 'consumable'),
  cat(CODES.iohexol, '碘海醇注射液', 'drug'),
  cat(CODES.oxygen, '吸氧', 'service'),
  cat(CODES.chestCt, '胸部CT平扫', 'service'),
  cat(CODES.herbA, '甘草', 'drug', { unit: 'g' }),
  cat(CODES.herbB, '海藻', 'drug', { unit: 'g' }),
  cat(CODES.herbC, '黄芪', 'drug', { unit: 'g' }),
  cat(CODES.xray, '胸部X线摄影', 'service'),
  cat(CODES.mri, '头颅磁共振平扫', 'service'),
];

export const CODE_MAPPINGS: CodeMapping[] = [{ institutionId: 'H1', localCode: 'L-OME', nationalCode: CODES.cheapDrug }];

let seq = 0;
export function encounter(over: Partial<Encounter> = {}): Encounter {
  seq++;
  return {
    id: `E${seq}`,
    institutionId: 'H1',
    departmentId: 'D1',
    personId: `P${seq}`,
    doctorId: 'DR1',
    kind: 'outpatient',
    benefitType: 'general',
    scheme: 'employee',
    sex: '1',
    ageYears: 40,
    ageDays: 0,
    birthWeightGrams: 0,
    admitDate: '2026-03-02',
    dischargeDate: '2026-03-02',
    dischargeType: '1',
    losDays: 0,
    diagnoses: ['J06.900'],
    procedures: [],
    ...over,
  };
}

/** An inpatient stay of `losDays` from admitDate. */
export function stay(admitDate: string, losDays: number, over: Partial<Encounter> = {}): Encounter {
  const d = new Date(`${admitDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + losDays);
  return encounter({ kind: 'inpatient', admitDate, dischargeDate: d.toISOString().slice(0, 10), losDays, ...over });
}

let lineSeq = 0;
export function line(e: Encounter, itemCode: string, over: Partial<SettlementLine> = {}): SettlementLine {
  lineSeq++;
  const item = CATALOG.find((c) => c.code === itemCode);
  const quantity = over.quantity ?? 1;
  const unitPriceFen = over.unitPriceFen ?? (item?.priceCapFen || 500);
  return {
    id: `L${lineSeq}`,
    encounterId: e.id,
    institutionId: e.institutionId,
    localCode: '',
    itemCode,
    itemName: item?.name ?? '',
    category: item?.category ?? 'service',
    payClass: 'A',
    quantity,
    unitPriceFen,
    amountFen: lineAmountFen(quantity, unitPriceFen),
    doctorId: e.doctorId,
    departmentId: e.departmentId,
    chargedAt: `${e.admitDate}T09:00:00`,
    ...over,
  };
}

/** ISO date `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
