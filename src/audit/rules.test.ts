/**
 * Every rule of the shipped library gets a case that must fire and a case that must not. National
 * rules run on real NHSA knowledge points (codes from data/rules/nhsa/knowledge).
 */
import { describe, expect, it } from 'vitest';
import type { Encounter, InstitutionLevel, SettlementLine } from '../domain/index.js';
import { compileRules, createBatchAudit, loadRuleLibrary, ruleCoverage, toColumns } from './index.js';
import type { Violation } from './index.js';
import { CATALOG, CODES, CODE_MAPPINGS, addDays, encounter, line, stay } from './fixtures.js';

const library = loadRuleLibrary();
const plan = compileRules(library, {
  asOf: '2026-11-23',
  region: { catalog: CATALOG, codeMappings: CODE_MAPPINGS, practitionerTitles: new Map([['DR1', 'resident'], ['DR9', 'chief']]) },
});

type Case = [Encounter, SettlementLine[]];
function run(cases: Case[], level: InstitutionLevel = '3'): Violation[] {
  const b = createBatchAudit(plan);
  const out: Violation[] = [];
  for (const [e, ls] of cases) {
    const cols = toColumns(plan, ls);
    out.push(...b.add({ encounter: e, institutionLevel: level }, cols, 0, cols.length));
  }
  out.push(...b.finish());
  return out;
}
const one = (e: Encounter, ...codes: (string | [string, Partial<SettlementLine>])[]): Case => [e, codes.map((c) => (typeof c === 'string' ? line(e, c) : line(e, c[0], c[1])))];

interface RuleCase {
  fire: () => { cases: Case[]; level?: InstitutionLevel };
  quiet: () => { cases: Case[]; level?: InstitutionLevel };
}

// Real NHSA knowledge-point codes
const NHSA = {
  apalutamide: 'XL02BBA326A001010102180', // 阿帕他胺片 男 (drug-sex b01)
  uterineFemale: 'ZD03AAA0043010100166', // 艾附暖宫丸 女 (drug-sex)
  penileAngio: '002101030280000', // 阴茎海绵体造影 男 (service-sex)
  childLung: 'ZA04CAE0023010100166', // 儿童清肺口服液 儿童专用
  midazolamOral: 'XN05CDM084X001010102000', // 咪达唑仑口服溶液 限儿童
  childCrown: '003105120040000', // 儿童前牙树脂冠修复
  scarCream: 'ZH01AAB0066010100716', // 疤痕止痒软化膏 限工伤
  dinoprostone: 'XG02ADD082D003010179504', // 地诺前列酮栓 限生育
  aidi: 'ZC01AAA0042010105549', // 艾迪注射液 限二级及以上
  lipidInpatient: 'XB05BAU012B002010102180', // 脂肪乳 限住院
  fentanylPatch: 'XN02ABF027V002010101389', // 芬太尼透皮贴剂 互联网不予支付
  ejiao: 'T001700233', // 阿胶 单复方均不予支付
  clove: 'T000700200', // 丁香 单方不予支付
  wardDiagnosis: '001102000050000', // 住院诊查费 1/日
  erMonitor: '001103000010000', // 急诊监护费 (pair A)
  erVisit: '001102000030000', // 急诊诊查费 (pair B)
  ozagrel: 'XB01AXA223B004010180963', // 奥扎格雷 14天
  fructosamine: '002503020020000', // 血清果糖胺测定 1次/7天
  surgeryA: '003310010140000', // 胃肠手术组
  surgeryB: '003310010160000', // 胃肠手术组
  vocational: '003402000320000', // 职业功能训练 法定就业年龄
  acalabrutinib: 'XL01ELA387E001010184513', // 阿可替尼 限二线
  abemaciclib: 'XL01EFA343A001010178403', // 阿贝西利 限乳腺癌
  handAssessment: '003402000050000', // 手功能评定 90天
  fetalHeart: '003112010260000', // 胎心监测 (service-sex 女; 3112 01 妇产科)
  generalAnaesthesia: '003301000050000', // 全身麻醉 (3301 麻醉)
  anaesthesiaMonitor: '003301000150000', // 麻醉中监测
  ecgMonitor: '003107010220000', // 心电监测
};

const CASES: Record<string, RuleCase> = {
  'NHSA-01-WORK-INJURY': { fire: () => ({ cases: [one(encounter(), NHSA.scarCream)] }), quiet: () => ({ cases: [one(encounter({ benefitType: 'work-injury' }), NHSA.scarCream)] }) },
  'NHSA-02-MATERNITY': { fire: () => ({ cases: [one(encounter({ sex: '2' }), NHSA.dinoprostone)] }), quiet: () => ({ cases: [one(encounter({ sex: '2', benefitType: 'maternity' }), NHSA.dinoprostone)] }) },
  'NHSA-03-HERB-NOT-PAYABLE': { fire: () => ({ cases: [one(encounter(), NHSA.ejiao)] }), quiet: () => ({ cases: [one(encounter(), CODES.herbC)] }) },
  'NHSA-04-HERB-ALONE': { fire: () => ({ cases: [one(encounter(), NHSA.clove)] }), quiet: () => ({ cases: [one(encounter(), NHSA.clove, CODES.herbC)] }) },
  'NHSA-05-SECOND-LINE': {
    fire: () => ({ cases: [one(encounter({ diagnoses: ['C91.100'] }), NHSA.acalabrutinib)] }),
    quiet: () => {
      const p = encounter({ diagnoses: ['C91.100'], admitDate: '2026-01-05', dischargeDate: '2026-01-05' });
      const q = encounter({ personId: p.personId, diagnoses: ['C91.100'] });
      return { cases: [one(p, 'XL01EXX999A001010100001'), one(q, NHSA.acalabrutinib)] };
    },
  },
  'NHSA-06-NEONATE-DRUG': { fire: () => ({ cases: [one(encounter({ ageYears: 3 }), 'MFD-NEONATE')] }), quiet: () => ({ cases: [one(encounter({ ageYears: 0, ageDays: 10 }), 'MFD-NEONATE')] }) },
  'NHSA-07-CHILD-PAYMENT': { fire: () => ({ cases: [one(encounter({ ageYears: 30 }), NHSA.midazolamOral)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 6 }), NHSA.midazolamOral)] }) },
  'NHSA-08-INDICATION': { fire: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['J06.900'] }), NHSA.abemaciclib)] }), quiet: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['C50.900'] }), NHSA.abemaciclib)] }) },
  'NHSA-09-MAX-SUPPLY': { fire: () => ({ cases: [one(encounter(), [CODES.dailyDrug, { quantity: 30 }])] }), quiet: () => ({ cases: [one(encounter(), [CODES.dailyDrug, { quantity: 21 }])] }) },
  'NHSA-10-DRUG-COURSE': {
    fire: () => {
      const e = stay('2026-03-01', 20, { diagnoses: ['I63.900'] });
      return { cases: [[e, Array.from({ length: 16 }, (_, d) => line(e, NHSA.ozagrel, { chargedAt: `${addDays(e.admitDate, d)}T08:00:00` }))]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 20, { diagnoses: ['I63.900'] });
      return { cases: [[e, Array.from({ length: 14 }, (_, d) => line(e, NHSA.ozagrel, { chargedAt: `${addDays(e.admitDate, d)}T08:00:00` }))]] };
    },
  },
  'NHSA-12-DRUG-LEVEL': { fire: () => ({ cases: [one(encounter(), NHSA.aidi)], level: '1' }), quiet: () => ({ cases: [one(encounter(), NHSA.aidi)], level: '2' }) },
  'NHSA-13-VISIT-TYPE': { fire: () => ({ cases: [one(encounter(), NHSA.lipidInpatient)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), NHSA.lipidInpatient)] }) },
  'NHSA-14-PRICE-CAP': { fire: () => ({ cases: [one(encounter(), [CODES.cappedService, { unitPriceFen: 1200 }])] }), quiet: () => ({ cases: [one(encounter(), [CODES.cappedService, { unitPriceFen: 1000 }])] }) },
  'NHSA-15-SURGERY-DISCOUNT': { fire: () => ({ cases: [one(stay('2026-03-01', 9), NHSA.surgeryA, NHSA.surgeryB)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 9), NHSA.surgeryA)] }) },
  'NHSA-16-17-SERVICE-INSURANCE': { fire: () => ({ cases: [one(encounter({ sex: '2' }), CODES.maternityService)] }), quiet: () => ({ cases: [one(encounter({ sex: '2', benefitType: 'maternity' }), CODES.maternityService)] }) },
  'NHSA-18-19-SERVICE-AGE': { fire: () => ({ cases: [one(encounter({ ageYears: 40 }), 'MFS-CHILD')] }), quiet: () => ({ cases: [one(encounter({ ageYears: 4 }), 'MFS-CHILD')] }) },
  'NHSA-20-83-SERVICE-INDICATION': { fire: () => ({ cases: [one(encounter(), 'MFS-INDIC')] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['I10.x00'] }), 'MFS-INDIC')] }) },
  'NHSA-21-SERVICE-DEPARTMENT': {
    // 胎心监测 (a 3112 01 obstetric service) ordered by orthopaedics; by obstetrics, or by a department without a code, it passes
    fire: () => ({ cases: [one(encounter({ sex: '2', departmentId: 'D-ORTHO' }), NHSA.fetalHeart)] }),
    quiet: () => ({ cases: [one(encounter({ sex: '2', departmentId: 'D-OBST' }), NHSA.fetalHeart), one(encounter({ sex: '2' }), NHSA.fetalHeart)] }),
  },
  'NHSA-26-UNBUNDLING': {
    // 心电监测 billed on the day of a general anaesthesia without 麻醉中监测: the package charged in pieces
    fire: () => {
      const s = stay('2026-03-01', 5);
      return { cases: [[s, [line(s, NHSA.generalAnaesthesia, { chargedAt: '2026-03-02T09:00:00' }), line(s, NHSA.ecgMonitor, { chargedAt: '2026-03-02T09:05:00' })]]] };
    },
    // the same monitoring the day after; and on a day the package itself is billed (that is 重复收费, class 25)
    quiet: () => {
      const s = stay('2026-03-01', 5);
      const t = stay('2026-03-01', 5);
      return {
        cases: [
          [s, [line(s, NHSA.generalAnaesthesia, { chargedAt: '2026-03-02T09:00:00' }), line(s, NHSA.ecgMonitor, { chargedAt: '2026-03-03T09:05:00' })]],
          [t, [line(t, NHSA.generalAnaesthesia, { chargedAt: '2026-03-02T09:00:00' }), line(t, NHSA.anaesthesiaMonitor, { chargedAt: '2026-03-02T09:00:00' }), line(t, NHSA.ecgMonitor, { chargedAt: '2026-03-02T09:05:00' })]],
        ],
      };
    },
  },
  'NHSA-22-SERVICE-VISIT-TYPE': { fire: () => ({ cases: [one(encounter(), 'MFS-WARD-FEE')] }), quiet: () => ({ cases: [one(stay('2026-03-01', 2), 'MFS-WARD-FEE')] }) },
  'NHSA-23-SERVICE-COURSE': {
    fire: () => {
      const e = stay('2026-01-01', 120);
      return { cases: [[e, Array.from({ length: 91 }, (_, d) => line(e, NHSA.handAssessment, { chargedAt: `${addDays(e.admitDate, d)}T10:00:00` }))]] };
    },
    quiet: () => {
      const e = stay('2026-01-01', 120);
      return { cases: [[e, Array.from({ length: 10 }, (_, d) => line(e, NHSA.handAssessment, { chargedAt: `${addDays(e.admitDate, d * 7)}T10:00:00` }))]] };
    },
  },
  'NHSA-24-SERVICE-LEVEL': { fire: () => ({ cases: [one(encounter(), 'MFS-LEVEL3')], level: '2' }), quiet: () => ({ cases: [one(encounter(), 'MFS-LEVEL3')], level: '3' }) },
  'NHSA-25-DUPLICATE-PAIR': {
    fire: () => {
      const e = encounter({ benefitType: 'emergency' });
      return { cases: [[e, [line(e, NHSA.erMonitor, { chargedAt: '2026-03-02T09:00:00' }), line(e, NHSA.erVisit, { chargedAt: '2026-03-02T10:30:00' })]]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 3, { benefitType: 'emergency' });
      return { cases: [[e, [line(e, NHSA.erMonitor, { chargedAt: '2026-03-01T09:00:00' }), line(e, NHSA.erVisit, { chargedAt: '2026-03-02T10:30:00' })]]] };
    },
  },
  'NHSA-25-DUPLICATE-SAME': {
    fire: () => {
      const e = stay('2026-03-01', 3);
      return { cases: [[e, [line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' }), line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' })]]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 3);
      return { cases: [[e, [line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' }), line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-03T08:00:00' })]]] };
    },
  },
  'NHSA-27-SERVICE-FREQUENCY': {
    fire: () => {
      const e = stay('2026-03-01', 3);
      return { cases: [[e, [line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' }), line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T16:00:00' })]]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 3);
      return { cases: [[e, [line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' }), line(e, NHSA.wardDiagnosis, { chargedAt: '2026-03-02T08:00:00' })]]] };
    },
  },
  'NHSA-27-STAY-DAYS': {
    fire: () => {
      const e = stay('2026-03-01', 2);
      return { cases: [[e, [0, 1, 2, 3].map((d) => line(e, CODES.nursing, { chargedAt: `${addDays(e.admitDate, d % 3)}T07:00:0${d}` }))]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 2);
      return { cases: [[e, [0, 1, 2].map((d) => line(e, CODES.nursing, { chargedAt: `${addDays(e.admitDate, d)}T07:00:00` }))]] };
    },
  },
  'NHSA-29-SERVICE-AGE': { fire: () => ({ cases: [one(encounter({ ageYears: 72 }), NHSA.vocational)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 35 }), NHSA.vocational)] }) },
  'NHSA-31-PERIOD-FREQUENCY': {
    fire: () => {
      const a = encounter({ admitDate: '2026-03-01', dischargeDate: '2026-03-01' });
      const b = encounter({ personId: a.personId, admitDate: '2026-03-05', dischargeDate: '2026-03-05' });
      return { cases: [one(a, NHSA.fructosamine), one(b, NHSA.fructosamine)] };
    },
    quiet: () => {
      const a = encounter({ admitDate: '2026-03-01', dischargeDate: '2026-03-01' });
      const b = encounter({ personId: a.personId, admitDate: '2026-03-09', dischargeDate: '2026-03-09' });
      return { cases: [one(a, NHSA.fructosamine), one(b, NHSA.fructosamine)] };
    },
  },
  'NHSA-32-33-CONSUMABLE-AGE': { fire: () => ({ cases: [one(encounter({ ageYears: 50 }), 'MFC-CHILD')] }), quiet: () => ({ cases: [one(encounter({ ageYears: 5 }), 'MFC-CHILD')] }) },
  'NHSA-35-SETTLEMENT-LIST': { fire: () => ({ cases: [one(stay('2026-03-01', 5, { losDays: 9 }), CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 5), CODES.ward)] }) },
  'NHSA-36-LINE-DATA': { fire: () => ({ cases: [one(encounter(), [CODES.ward, { quantity: 2, unitPriceFen: 500, amountFen: 1200 }])] }), quiet: () => ({ cases: [one(encounter(), [CODES.ward, { quantity: 2, unitPriceFen: 500 }])] }) },
  'NHSA-37-UPCODING': { fire: () => ({ cases: [one(stay('2026-03-01', 6, { diagnoses: ['J18.900', 'J96.000'] }), CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 6, { diagnoses: ['J18.900', 'J96.000'] }), CODES.ward, CODES.oxygen)] }) },
  'NHSA-38-PROCEDURE-CODE': { fire: () => ({ cases: [one(stay('2026-03-01', 4, { procedures: ['ABC'] }), CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 4, { procedures: ['47.0901'.slice(0, 5)] , diagnoses: ['K35.800'] }), CODES.ward)] }) },
  'NHSA-39-PROCEDURE-SEX': { fire: () => ({ cases: [one(stay('2026-03-01', 4, { sex: '2', procedures: ['60.29'], diagnoses: ['N40.x00'] }), CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 4, { sex: '1', procedures: ['60.29'], diagnoses: ['N40.x00'] }), CODES.ward)] }) },
  'NHSA-40-DIAGNOSIS-PROCEDURE': { fire: () => ({ cases: [one(stay('2026-03-01', 4, { sex: '2', procedures: ['74.1'], diagnoses: ['K35.800'] }), CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 4, { sex: '2', procedures: ['74.1'], diagnoses: ['O82.000'] }), CODES.ward)] }) },
  'NHSA-42-CHARGE-DATE': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.ward, { chargedAt: '2026-03-07T09:00:00' }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.ward, { chargedAt: '2026-03-04T09:00:00' }])] }) },
  'NHSA-44-PERIOPERATIVE-ABX': {
    fire: () => {
      const e = stay('2026-03-01', 8, { procedures: ['51.23'], diagnoses: ['K80.200'] });
      return { cases: [[e, [0, 1, 2, 3, 4].map((d) => line(e, CODES.amoxicillin, { chargedAt: `${addDays(e.admitDate, d)}T08:00:00` }))]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 8, { procedures: ['51.23'], diagnoses: ['K80.200'] });
      return { cases: [[e, [0, 1].map((d) => line(e, CODES.amoxicillin, { chargedAt: `${addDays(e.admitDate, d)}T08:00:00` }))]] };
    },
  },
  'NHSA-45-ABX-TIER': { fire: () => ({ cases: [one(encounter({ diagnoses: ['A41.900'] }), CODES.meropenem)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['A41.900'], doctorId: 'DR9' }), CODES.meropenem)] }) },
  'NHSA-46-DRUG-KINDS': {
    fire: () => ({ cases: [one(encounter({ diagnoses: ['A09.900'] }), CODES.warfarin, CODES.diazepam, CODES.atorvastatin, CODES.amoxicillin, CODES.cheapDrug, CODES.levofloxacin)] }),
    quiet: () => ({ cases: [one(encounter({ diagnoses: ['A09.900'] }), CODES.warfarin, CODES.diazepam, CODES.atorvastatin, CODES.amoxicillin, CODES.cheapDrug)] }),
  },
  'NHSA-47-INTERNET-SCOPE': { fire: () => ({ cases: [one(encounter({ kind: 'online' }), NHSA.fentanylPatch)] }), quiet: () => ({ cases: [one(encounter({ kind: 'outpatient' }), NHSA.fentanylPatch)] }) },
  'NHSA-49-SPLIT-ADMISSION': {
    fire: () => {
      const a = stay('2026-03-01', 5, { diagnoses: ['I63.900'] });
      const b = stay('2026-03-16', 5, { personId: a.personId, diagnoses: ['I63.800'] });
      return { cases: [one(a, CODES.ward), one(b, CODES.ward)] };
    },
    quiet: () => {
      const a = stay('2026-03-01', 5, { diagnoses: ['I63.900'] });
      const b = stay('2026-03-10', 5, { personId: a.personId, diagnoses: ['K35.800'] });
      const c = stay('2026-04-10', 5, { personId: a.personId, diagnoses: ['K35.800'] });
      return { cases: [one(a, CODES.ward), one(b, CODES.ward), one(c, CODES.ward)] };
    },
  },
  'NHSA-50-FREQUENT-OUTPATIENT': {
    fire: () => {
      const p = 'P-FREQ';
      return { cases: Array.from({ length: 11 }, (_, d) => one(encounter({ personId: p, admitDate: addDays('2026-03-01', d * 2), dischargeDate: addDays('2026-03-01', d * 2) }), CODES.ward)) };
    },
    quiet: () => {
      const p = 'P-FREQ2';
      return { cases: Array.from({ length: 11 }, (_, d) => one(encounter({ personId: p, admitDate: addDays('2026-03-01', d * 5), dischargeDate: addDays('2026-03-01', d * 5) }), CODES.ward)) };
    },
  },
  'NHSA-51-FREQUENT-PURCHASE': {
    fire: () => ({ cases: Array.from({ length: 9 }, (_, d) => one(encounter({ personId: 'P-BUY', admitDate: addDays('2026-03-01', d * 3), dischargeDate: addDays('2026-03-01', d * 3) }), CODES.cheapDrug)) }),
    quiet: () => ({ cases: Array.from({ length: 9 }, (_, d) => one(encounter({ personId: 'P-BUY2', admitDate: addDays('2026-03-01', d * 3), dischargeDate: addDays('2026-03-01', d * 3) }), CODES.ward)) }),
  },
  'NHSA-52-FREQUENT-ADMISSION': {
    fire: () => ({ cases: Array.from({ length: 9 }, (_, d) => one(stay(addDays('2026-01-01', d * 30), 3, { personId: 'P-ADM', diagnoses: [`K${20 + d}.900`] }), CODES.ward)) }),
    quiet: () => ({ cases: Array.from({ length: 8 }, (_, d) => one(stay(addDays('2026-01-01', d * 30), 3, { personId: 'P-ADM2', diagnoses: [`K${20 + d}.900`] }), CODES.ward)) }),
  },
  'NHSA-53-LOW-ADMISSION': { fire: () => ({ cases: [one(stay('2026-03-01', 2), CODES.chestCt, CODES.xray, [CODES.bedFee, { unitPriceFen: 100 }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 2), CODES.chestCt, CODES.ward, CODES.ward)] }) },
  'NHSA-54-DIAGNOSIS-SEX': { fire: () => ({ cases: [one(encounter({ sex: '1', diagnoses: ['N97.900'] }), CODES.ward)] }), quiet: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['N97.900'] }), CODES.ward)] }) },
  'NHSA-55-DIAGNOSIS-AGE': { fire: () => ({ cases: [one(encounter({ ageYears: 30, diagnoses: ['P07.300'] }), CODES.ward)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 0, ageDays: 20, diagnoses: ['P07.300'] }), CODES.ward)] }) },
  'NHSA-56-SHARE-DRUG': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.cheapDrug, { quantity: 100, unitPriceFen: 1000 }], CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.cheapDrug, { quantity: 10, unitPriceFen: 1000 }], [CODES.ward, { quantity: 1, unitPriceFen: 100000 }])] }) },
  'NHSA-57-SHARE-EXAM': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.chestCt, { unitPriceFen: 100000 }], CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.chestCt, { unitPriceFen: 100000 }], [CODES.ward, { unitPriceFen: 100000 }])] }) },
  'NHSA-58-SHARE-CONSUMABLE': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.stent, { unitPriceFen: 200000 }], CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.stent, { unitPriceFen: 100000 }], [CODES.ward, { unitPriceFen: 100000 }])] }) },
  'NHSA-59-SHARE-TREATMENT': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.ward, { unitPriceFen: 200000 }], CODES.cheapDrug)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.ward, { unitPriceFen: 100000 }], [CODES.cheapDrug, { quantity: 100, unitPriceFen: 1000 }])] }) },
  'NHSA-60-SHARE-CT': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.chestCt, { unitPriceFen: 100000 }], [CODES.ward, { unitPriceFen: 50000 }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.chestCt, { unitPriceFen: 30000 }], [CODES.ward, { unitPriceFen: 100000 }])] }) },
  'NHSA-61-SHARE-MRI': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.mri, { unitPriceFen: 100000 }], [CODES.ward, { unitPriceFen: 50000 }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.mri, { unitPriceFen: 30000 }], [CODES.ward, { unitPriceFen: 100000 }])] }) },
  'NHSA-63-READMISSION': {
    fire: () => {
      const a = stay('2026-03-01', 5, { diagnoses: ['I63.900'] });
      return { cases: [one(a, CODES.ward), one(stay('2026-03-30', 3, { personId: a.personId, diagnoses: ['K35.800'] }), CODES.ward)] };
    },
    quiet: () => {
      const a = stay('2026-03-01', 5, { diagnoses: ['I63.900'] });
      return { cases: [one(a, CODES.ward), one(stay('2026-05-30', 3, { personId: a.personId, diagnoses: ['K35.800'] }), CODES.ward)] };
    },
  },
  'NHSA-64-DRUG-SERVICE': { fire: () => ({ cases: [one(encounter(), CODES.iohexol)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['J18.900'] }), CODES.iohexol, CODES.chestCt)] }) },
  'NHSA-65-PAEDIATRIC-DRUG': { fire: () => ({ cases: [one(encounter({ ageYears: 45 }), NHSA.childLung)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 6 }), NHSA.childLung)] }) },
  'NHSA-66-CHILD-CONTRAINDICATED': { fire: () => ({ cases: [one(encounter({ ageYears: 10, diagnoses: ['J18.900'] }), CODES.levofloxacin)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 30, diagnoses: ['J18.900'] }), CODES.levofloxacin)] }) },
  'NHSA-67-DRUG-SEX': { fire: () => ({ cases: [one(encounter({ sex: '2' }), NHSA.apalutamide)] }), quiet: () => ({ cases: [one(encounter({ sex: '1', diagnoses: ['C61.x00'] }), NHSA.apalutamide)] }) },
  'NHSA-68-DRUG-DOSE': { fire: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.dailyDrug, { quantity: 4 }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), [CODES.dailyDrug, { quantity: 3 }])] }) },
  'NHSA-69-DUPLICATE-DRUGS': { fire: () => ({ cases: [one(encounter({ diagnoses: ['E78.500'] }), CODES.atorvastatin, CODES.simvastatin)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['E78.500'] }), CODES.atorvastatin)] }) },
  'NHSA-70-OFF-LABEL': { fire: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['J06.900'] }), 'XL02BGA999A001010100001')] }), quiet: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['C50.900'] }), 'XL02BGA999A001010100001')] }) },
  'NHSA-71-CONTRAINDICATION': { fire: () => ({ cases: [one(encounter({ diagnoses: ['K25.700'] }), CODES.ibuprofen)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['M54.500'] }), CODES.ibuprofen)] }) },
  'NHSA-72-ELDERLY': { fire: () => ({ cases: [one(encounter({ ageYears: 78 }), CODES.diazepam)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 50 }), CODES.diazepam)] }) },
  'NHSA-73-PREGNANCY': { fire: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['O26.900'] }), CODES.warfarin)] }), quiet: () => ({ cases: [one(encounter({ sex: '2', diagnoses: ['I48.x00'] }), CODES.warfarin)] }) },
  'NHSA-74-INTERACTION': { fire: () => ({ cases: [one(encounter({ diagnoses: ['I48.x00'] }), CODES.warfarin, CODES.ibuprofen)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['I48.x00'] }), CODES.warfarin, CODES.cheapDrug)] }) },
  'NHSA-75-HERB-INCOMPATIBLE': { fire: () => ({ cases: [one(encounter(), CODES.herbA, CODES.herbB)] }), quiet: () => ({ cases: [one(encounter(), CODES.herbA, CODES.herbC)] }) },
  'NHSA-76-HERB-SIZE': {
    fire: () => {
      const e = encounter();
      return { cases: [[e, Array.from({ length: 31 }, (_, k) => line(e, `T1${String(k).padStart(8, '0')}`, { category: 'drug' }))]] };
    },
    quiet: () => {
      const e = encounter();
      return { cases: [[e, Array.from({ length: 12 }, (_, k) => line(e, `T1${String(k).padStart(8, '0')}`, { category: 'drug' }))]] };
    },
  },
  'NHSA-77-HERB-QUANTITY': { fire: () => ({ cases: [one(encounter(), [CODES.herbC, { quantity: 90 }])] }), quiet: () => ({ cases: [one(encounter(), [CODES.herbC, { quantity: 30 }])] }) },
  'NHSA-78-OVER-EXAMINATION': { fire: () => ({ cases: [one(encounter({ diagnoses: ['J00.x00'] }), CODES.chestCt)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['J18.900'] }), CODES.chestCt)] }) },
  'NHSA-79-ABX-NO-INDICATION': { fire: () => ({ cases: [one(encounter({ diagnoses: ['I10.x00'] }), CODES.amoxicillin)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['J02.900'] }), CODES.amoxicillin)] }) },
  'NHSA-80-PAEDIATRIC-SERVICE': { fire: () => ({ cases: [one(encounter({ ageYears: 33 }), NHSA.childCrown)] }), quiet: () => ({ cases: [one(encounter({ ageYears: 7 }), NHSA.childCrown)] }) },
  'NHSA-81-SERVICE-SEX': { fire: () => ({ cases: [one(encounter({ sex: '2' }), NHSA.penileAngio)] }), quiet: () => ({ cases: [one(encounter({ sex: '1' }), NHSA.penileAngio)] }) },
  'NHSA-82-SERVICE-CONTRAINDICATION': { fire: () => ({ cases: [one(encounter({ diagnoses: ['I63.900', 'Z95.000'] }), CODES.mri)] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['I63.900'] }), CODES.mri)] }) },
  'NHSA-84-CONSUMABLE-SERVICE': { fire: () => ({ cases: [one(stay('2026-03-01', 3), CODES.stent, CODES.ward)] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), CODES.stent, 'MFS-PCI')] }) },
  'NHSA-85-CONSUMABLE-DEPARTMENT': {
    fire: () => ({ cases: [one(stay('2026-03-01', 3, { departmentId: 'D-ORTHO' }), CODES.stent)] }),
    quiet: () => ({ cases: [one(stay('2026-03-01', 3, { departmentId: 'D-CARDIO' }), CODES.stent)] }),
  },
  'NHSA-86-CONSUMABLE-QUANTITY': { fire: () => ({ cases: [one(stay('2026-03-01', 3), ['MFC-LIMITED', { quantity: 3 }])] }), quiet: () => ({ cases: [one(stay('2026-03-01', 3), ['MFC-LIMITED', { quantity: 2 }])] }) },
  'NHSA-87-CONSUMABLE-SEX': { fire: () => ({ cases: [one(encounter({ sex: '1' }), 'MFC-FEMALE')] }), quiet: () => ({ cases: [one(encounter({ sex: '2' }), 'MFC-FEMALE')] }) },
  'NHSA-88-CONSUMABLE-DISEASE': { fire: () => ({ cases: [one(encounter(), 'MFC-DISEASE')] }), quiet: () => ({ cases: [one(encounter({ diagnoses: ['I25.100'] }), 'MFC-DISEASE')] }) },
  'MF-PHANTOM-STAY': {
    fire: () => {
      const e = stay('2026-03-01', 6);
      const ls = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [line(e, CODES.bedFee, { chargedAt: `${addDays(e.admitDate, d)}T00:10:00` }), ...(d >= 2 && d <= 4 ? [] : [line(e, CODES.ward, { chargedAt: `${addDays(e.admitDate, d)}T09:00:00` })])]);
      return { cases: [[e, ls]] };
    },
    quiet: () => {
      const e = stay('2026-03-01', 6);
      const ls = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [line(e, CODES.bedFee, { chargedAt: `${addDays(e.admitDate, d)}T00:10:00` }), ...(d >= 2 && d <= 3 ? [] : [line(e, CODES.ward, { chargedAt: `${addDays(e.admitDate, d)}T09:00:00` })])]);
      return { cases: [[e, ls]] };
    },
  },
  'MF-DRUG-SUBSTITUTION': {
    fire: () => ({ cases: [one(encounter({ diagnoses: ['K21.000'] }), [CODES.dearDrug, { localCode: 'L-OME', itemName: '奥美拉唑肠溶胶囊' }])] }),
    quiet: () => ({ cases: [one(encounter({ diagnoses: ['K21.000'] }), [CODES.cheapDrug, { localCode: 'L-OME' }])] }),
  },
  'MF-DOCTOR-HIGH-FREQUENCY': {
    fire: () => ({ cases: Array.from({ length: 8 }, (_, k) => { const e = encounter({ doctorId: 'DR5' }); return one(e, [CODES.cheapDrug, { chargedAt: `2026-03-02T10:${String(k * 6).padStart(2, '0')}:00` }]); }) }),
    quiet: () => ({ cases: Array.from({ length: 8 }, (_, k) => { const e = encounter({ doctorId: 'DR6' }); return one(e, [CODES.cheapDrug, { chargedAt: `2026-03-02T${String(8 + k).padStart(2, '0')}:00:00` }]); }) }),
  },
  'MF-PEER-COST-OUTLIER': {
    fire: () => ({ cases: [...Array.from({ length: 24 }, () => one(encounter({ diagnoses: ['J06.900'] }), CODES.ward)), one(encounter({ diagnoses: ['J06.900'] }), [CODES.ward, { quantity: 200 }])] }),
    quiet: () => ({ cases: Array.from({ length: 25 }, () => one(encounter({ diagnoses: ['J06.900'] }), CODES.ward)) }),
  },
  'MF-COST-SHIFTING': {
    fire: () => {
      const s = stay('2026-03-10', 5, { diagnoses: ['J18.900'] });
      return { cases: [one(s, CODES.ward), one(encounter({ personId: s.personId, admitDate: '2026-03-08', dischargeDate: '2026-03-08', diagnoses: ['J18.900'] }), CODES.chestCt)] };
    },
    quiet: () => {
      const s = stay('2026-03-10', 5, { diagnoses: ['J18.900'] });
      return { cases: [one(s, CODES.ward), one(encounter({ personId: s.personId, admitDate: '2026-02-20', dischargeDate: '2026-02-20', diagnoses: ['J18.900'] }), CODES.chestCt)] };
    },
  },
};

// 科别代码 of the departments the department-restriction cases order from ('D1', the default, has none)
const DEPARTMENT_CODES = new Map([
  ['D1', ''],
  ['D-ORTHO', 'A04.03'],
  ['D-OBST', 'A05.02'],
  ['D-CARDIO', 'A03.04'],
]);

// Items the cases above use that are not in the shared fixture catalog.
const extra = [
  { code: 'MFD-NEONATE', name: '测试新生儿用药', category: 'drug' as const, restrictions: { maxAgeYears: 0 } },
  { code: 'MFS-CHILD', name: '测试儿童项目', category: 'service' as const, restrictions: { maxAgeYears: 14 } },
  { code: 'MFS-INDIC', name: '测试限高血压项目', category: 'service' as const, restrictions: { indicationPrefixes: ['I10'] } },
  { code: 'MFS-WARD-FEE', name: '住院诊查费', category: 'service' as const, restrictions: {} },
  { code: 'MFS-LEVEL3', name: '测试三级项目', category: 'service' as const, restrictions: { minInstitutionLevel: '3' as const } },
  { code: 'MFC-CHILD', name: '测试儿童耗材', category: 'consumable' as const, restrictions: { maxAgeYears: 14 } },
  { code: 'MFC-LIMITED', name: '测试限量耗材', category: 'consumable' as const, restrictions: { maxQuantityPerDay: 2 } },
  { code: 'MFC-FEMALE', name: '测试女性耗材', category: 'consumable' as const, restrictions: { sex: '2' as const } },
  { code: 'MFC-DISEASE', name: '测试限冠心病耗材', category: 'consumable' as const, restrictions: { indicationPrefixes: ['I25'] } },
  { code: 'MFS-PCI', name: '经皮冠状动脉支架置入术', category: 'service' as const, restrictions: {} },
  { code: '003301000050000', name: '全身麻醉', category: 'service' as const, restrictions: {} },
  { code: 'XL01EXX999A001010100001', name: '测试一线靶向药', category: 'drug' as const, restrictions: {} },
  { code: 'XL02BGA999A001010100001', name: '测试芳香化酶抑制剂', category: 'drug' as const, restrictions: {} },
];
const fullPlan = compileRules(
  {
    ...library,
    // a label indication for the off-label case (class 70 reads drug-sex basis texts)
    nhsa: {
      ...library.nhsa,
      'drug-sex': {
        ...library.nhsa['drug-sex']!,
        rows: [...library.nhsa['drug-sex']!.rows, { id: 'drug-sex:test:0001', itemName: '测试芳香化酶抑制剂', codes: ['XL02BGA999A001010100001'], params: { sex: 'F' }, basisText: '用于绝经后妇女乳腺癌的辅助治疗。', publishedAt: '2025-05-23', supersededBy: null }],
      },
    },
  },
  {
    asOf: '2026-11-23',
    region: {
      catalog: [...CATALOG, ...extra.map((x) => ({ ...x, payClass: 'A' as const, unit: '次', priceCapFen: 0, selfPayFirstPermille: 0, effectiveFrom: '2020-01-01', effectiveTo: '9999-12-31' }))],
      codeMappings: CODE_MAPPINGS,
      practitionerTitles: new Map([['DR1', 'resident'], ['DR9', 'chief']]),
      departmentCodes: DEPARTMENT_CODES,
    },
  },
);

function runFull(cases: Case[], level: InstitutionLevel = '3'): Violation[] {
  const b = createBatchAudit(fullPlan);
  const out: Violation[] = [];
  for (const [e, ls] of cases) {
    const cols = toColumns(fullPlan, ls);
    out.push(...b.add({ encounter: e, institutionLevel: level }, cols, 0, cols.length));
  }
  out.push(...b.finish());
  return out;
}

describe('every rule of the library', () => {
  it('has a must-fire and a must-not-fire case', () => {
    const missing = library.rules.rules.map((r) => r.id).filter((id) => !CASES[id]);
    expect(missing).toEqual([]);
  });
  for (const [ruleId, c] of Object.entries(CASES)) {
    it(`${ruleId} fires`, () => {
      const { cases, level } = c.fire();
      const vs = runFull(cases, level);
      expect(vs.filter((v) => v.ruleId === ruleId).length, JSON.stringify(vs.map((v) => v.ruleId))).toBeGreaterThan(0);
    });
    it(`${ruleId} stays quiet`, () => {
      const { cases, level } = c.quiet();
      const vs = runFull(cases, level);
      expect(vs.filter((v) => v.ruleId === ruleId).map((v) => v.message)).toEqual([]);
    });
  }
});

describe('violations', () => {
  it('carry evidence, the rule version, the lines and the amount at stake', () => {
    const e = encounter({ sex: '2' });
    const l = line(e, NHSA.apalutamide, { quantity: 2, unitPriceFen: 12_345 });
    const [v] = run([[e, [l]]]).filter((x) => x.ruleId === 'NHSA-67-DRUG-SEX');
    expect(v).toMatchObject({ type: 'sex-restricted', encounterId: e.id, lineIds: [l.id], amountFen: 24_690, ruleVersion: 1, resultType: 'definite', action: 'block' });
    expect(v!.message).toContain('阿帕他胺片');
    expect(v!.evidence['knowledge']).toMatch(/^drug-sex:/);
  });
  it('price-cap amount is the excess over the cap', () => {
    const e = encounter();
    const vs = run([one(e, [CODES.cappedService, { quantity: 3, unitPriceFen: 1250 }])]).filter((x) => x.ruleId === 'NHSA-14-PRICE-CAP');
    expect(vs[0]!.amountFen).toBe(750);
  });
});

describe('coverage', () => {
  it('implements at least 60 of the 88 national classes and loads every knowledge point', () => {
    const c = ruleCoverage(plan);
    expect(c.classesTotal).toBe(88);
    expect(c.classesImplemented).toBeGreaterThanOrEqual(60);
    expect(c.knowledgePoints).toBe(3898);
  });
});
