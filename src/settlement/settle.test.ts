import { describe, expect, it } from 'vitest';
import { emptyYearToDate } from './accumulators.js';
import { loadPolicies } from './load.js';
import { parsePolicy } from './policy.js';
import type { Policy } from './policy.js';
import { settle } from './settle.js';
import { catalogOf, encounter, item, line } from './test-helpers.js';
import { explainSettlement } from './explain.js';

const policies = loadPolicies();
const byId = (id: string): Policy => {
  const p = policies.find((x) => x.id === id);
  if (!p) throw new Error(`missing policy ${id}`);
  return p;
};

/**
 * Published worked example: 2012 "投保算账" 退休人员李先生 (63), 三级医院 双膝关节置换, 住院 30 天, 11万元.
 * Source: http://xiangrikui.com/jiankang/zhuanjia/20120409/205238.html (S9 of shared/notes/settlement.md).
 * Parameters stated by the example: 起付线 800; retiree co-pay 11.2% (fund 88.8%); 乙类药 10% first;
 * 放宽的特殊检查 30% first; 进口人工关节 50% first, the rest paid by the fund (no co-pay applied);
 * 自费药 and 自理费用 (空调费、饮食费) fully self-paid. Published result: 个人负担 39019.36, 医保报销 70980.64.
 * The page lists 109,200 of items against a total of 110,000: the 800 起付线 is the in-scope (甲类) cost
 * below the deductible, so the 甲类 line here is 34,000 + 800.
 */
describe('published example: 李先生 2012 (xiangrikui.com)', () => {
  const policy = parsePolicy({
    id: 'example-2012-xiangrikui',
    region: { code: '000000', name: 'example of the 2012 article (city not named)' },
    effectiveFrom: '2012-01-01',
    effectiveTo: '2012-12-31',
    sources: [{ title: '投保算账 李先生', url: 'http://xiangrikui.com/jiankang/zhuanjia/20120409/205238.html', reliability: 'C', supports: 'all parameters' }],
    lines: {
      defaultSelfPayFirstPermille: {},
      itemRules: [
        { codePrefix: 'EXAM-', label: '放宽的特殊检查', selfPayFirstPermille: 300 },
        { codePrefix: 'IMPLANT-', label: '进口人工器官', selfPayFirstPermille: 500, fixedFundRateBp: 10000 },
      ],
    },
    schemes: {
      employee: {
        label: 'example',
        inpatient: [
          {
            label: 'retired, tertiary',
            deductible: { byLevelFen: { '3': 80000 } },
            bandBasis: 'encounter',
            bands: [{ upToFen: null, fundRateBp: { '3': 8880 } }],
            fundCap: null,
          },
        ],
      },
    },
  });
  const catalog = catalogOf({
    SELF: item('C'),
    COMFORT: item('C'),
    DRUG_A: item('A'),
    DRUG_B: item('B', 100),
    'EXAM-1': item('B'),
    'IMPLANT-1': item('B'),
  });
  const lines = [
    line('l1', 'SELF', 200000),
    line('l2', 'COMFORT', 300000, { category: 'facility' }),
    line('l3', 'DRUG_A', 3480000),
    line('l4', 'DRUG_B', 1820000, { payClass: 'B' }),
    line('l5', 'EXAM-1', 200000, { category: 'service', payClass: 'B' }),
    line('l6', 'IMPLANT-1', 5000000, { category: 'consumable', payClass: 'B' }),
  ];
  const r = settle(
    { encounter: encounter({ ageYears: 63, dischargeDate: '2012-04-09' }), lines, institutionLevel: '3', personType: 'retired' },
    policy,
    undefined,
    catalog,
  );
  it('reproduces 个人负担 39019.36 and 医保报销 70980.64 to the fen', () => {
    expect(r.totalFen).toBe(11000000);
    expect(r.patientFen).toBe(3901936);
    expect(r.fundTotalFen).toBe(7098064);
    expect(r.deductibleFen).toBe(80000);
    expect(r.fullSelfPayFen).toBe(500000);
    // 乙类药 1820 + 放宽检查 600 + 人工器官 25000 先行自付
    expect(r.preSelfPayFen).toBe(182000 + 60000 + 2500000);
    // co-pay 11.2% of (34800 − 800 + 16380 + 1400) = 5799.36 = 3808 + 1834.56 + 156.8
    expect(r.coPayFen).toBe(579936);
  });
  it('every line splits exactly into fund + patient', () => {
    for (const l of r.lines) expect(l.fundFen + l.patientFen).toBe(l.amountFen);
    expect(r.lines.reduce((s, l) => s + l.fundFen, 0)).toBe(r.fundTotalFen);
    expect(r.lines[5]!.fundFen).toBe(2500000);
  });
});

/**
 * Line-level rounding of 先行自付: shared/notes/settlement.md §2.2 / §2.12, example E2 (S2,
 * http://jingyanla.com/a/13/04041Q52512023.html): 乙类 瑞格列奈片 31.77 元 × 10% = 3.177 → 3.18, in scope 28.59;
 * the fund's 80% of an in-scope total of 61.11 = 48.888 → 48.89. The other in-scope lines of that visit
 * (32.52 元) are not itemised by the note and appear here as one 甲类 line.
 */
describe('published rounding example E2 (瑞格列奈片)', () => {
  const policy = parsePolicy({
    id: 'e2',
    region: { code: '110000', name: 'Beijing (place of treatment in E2)' },
    effectiveFrom: '2020-01-01',
    effectiveTo: '2030-12-31',
    sources: [{ title: 'E2', url: 'http://jingyanla.com/a/13/04041Q52512023.html', reliability: 'C', supports: '80%, 10%' }],
    schemes: {
      employee: {
        label: 'e2',
        chronicSpecial: [{ label: '糖尿病', diagnosisPrefixes: ['E11'], yearlyDeductibleFen: 0, fundRateBp: { '3': 8000 }, yearlyFundCapFen: null }],
      },
    },
  });
  const r = settle(
    {
      encounter: encounter({ kind: 'outpatient', benefitType: 'chronic-special', diagnoses: ['E11.900'] }),
      lines: [line('a', 'REPAGLINIDE', 3177, { payClass: 'B' }), line('b', 'OTHER', 3252)],
      institutionLevel: '3',
      personType: 'retired',
    },
    policy,
    undefined,
    catalogOf({ REPAGLINIDE: item('B', 100), OTHER: item('A') }),
  );
  it('先行自付 3.18, in scope 28.59 + 32.52, fund 48.89', () => {
    expect(r.lines[0]!.preSelfPayFen).toBe(318);
    expect(r.lines[0]!.inScopeFen).toBe(2859);
    expect(r.inScopeFen).toBe(6111);
    expect(r.fundFen).toBe(4889);
    expect(r.path).toBe('chronic-special');
  });
});

describe('Jiangmen 2023 employee (published parameters)', () => {
  const p = byId('440700-2023-employee');
  const cat = catalogOf({ A: item('A'), B: item('B', 100), C: item('C') });
  it('二级: 起付 600, 90% above it', () => {
    const r = settle({ encounter: encounter(), lines: [line('1', 'A', 1060000)], institutionLevel: '2', personType: 'in-service' }, p, undefined, cat);
    expect(r.deductibleFen).toBe(60000);
    expect(r.fundFen).toBe(900000); // (10600 − 600) × 90%
    expect(r.patientFen).toBe(160000);
  });
  it('大病 pays 85% of the year-cumulative personal in-scope part above 5000', () => {
    // 三级: 起付 900, 83%. In scope 100,000: fund 82,253; personal in scope 900 + 16,847 = 17,747.
    const r = settle({ encounter: encounter(), lines: [line('1', 'A', 10000000)], institutionLevel: '3', personType: 'in-service' }, p, undefined, cat);
    expect(r.fundFen).toBe(8225300);
    expect(r.tier2Fen).toBe(roundHalf((1774700 - 500000) * 0.85));
    expect(r.ytd.tier2BaseFen).toBe(1774700);
  });
  it('the basic fund stops at the 56万 yearly cap', () => {
    const ytd = { ...emptyYearToDate(2023), admissions: 3, inpatientFundFen: 55900000 };
    const r = settle({ encounter: encounter(), lines: [line('1', 'A', 1000000)], institutionLevel: '1', personType: 'in-service' }, p, ytd, cat);
    expect(r.fundFen).toBe(100000);
    expect(r.aboveCapFen).toBe(roundHalf((1000000 - 50000) * 0.93) - 100000);
    expect(r.ytd.inpatientFundFen).toBe(56000000);
  });
  it('outpatient visits get no pooled payment here and say why', () => {
    const r = settle({ encounter: encounter({ kind: 'outpatient' }), lines: [line('1', 'A', 5000)], institutionLevel: '2', personType: 'in-service', useAccount: true }, p, { ...emptyYearToDate(2023), accountBalanceFen: 3000 }, cat);
    expect(r.fundTotalFen).toBe(0);
    expect(r.accountFen).toBe(3000);
    expect(r.cashFen).toBe(2000);
    expect(r.issues.map((i) => i.code)).toContain('no-outpatient-pooling');
  });
});

describe('Suzhou 2024 children (year-cumulative bands, later-admission deductibles)', () => {
  const p = byId('320500-2024-resident-children');
  const cat = catalogOf({ A: item('A') });
  it('deductible 500, then 250, then 100; bands cross 4万 on the year total', () => {
    const run = (ytd: ReturnType<typeof emptyYearToDate> | undefined, amount: number) =>
      settle({ encounter: encounter({ scheme: 'resident', ageYears: 8, dischargeDate: '2024-09-01' }), lines: [line('1', 'A', amount)], institutionLevel: '3', personType: 'child' }, p, ytd, cat);
    const r1 = run(undefined, 3000000); // 30,000: (30000 − 500) × 75%
    expect(r1.deductibleFen).toBe(50000);
    expect(r1.fundFen).toBe(2212500);
    const before = JSON.stringify(r1.ytd);
    const r2 = run(r1.ytd, 2000000); // 20,000: deductible 250; ytd 30000 → 50000: 30250..40000 at 75%, 40000..50000 at 80%
    expect(r2.deductibleFen).toBe(25000);
    expect(JSON.stringify(r1.ytd)).toBe(before); // accumulators are values: settle() never mutates its input
    expect(r2.fundFen).toBe(roundHalf(975000 * 0.75 + 1000000 * 0.8));
    const r3 = run(r2.ytd, 100000);
    expect(r3.deductibleFen).toBe(10000);
  });
});

describe('Yubei 2023 resident + medical assistance', () => {
  const p = byId('500112-2023-resident-assistance');
  const cat = catalogOf({ A: item('A') });
  it('assistance: 70% of the remaining in-scope self-pay, then 60% above 3000', () => {
    // in scope 50,000 at 二级: fund (50000 − 300) × 70% = 34,790; person 15,210.
    // 大额救助 15,210 × 70% = 10,647; remaining 4,563; 倾斜 (4,563 − 3,000) × 60% = 937.80
    const r = settle({ encounter: encounter({ scheme: 'resident' }), lines: [line('1', 'A', 5000000)], institutionLevel: '2', personType: 'adult', assistanceCategory: 'low-income' }, p, undefined, cat);
    expect(r.fundFen).toBe(3479000);
    expect(r.assistanceFen).toBe(1064700 + 93780);
    expect(r.patientFen).toBe(5000000 - 3479000 - 1158480);
  });
  it('a level the source does not publish is reported, not guessed', () => {
    const r = settle({ encounter: encounter({ scheme: 'resident' }), lines: [line('1', 'A', 100000)], institutionLevel: '3', personType: 'adult' }, p, undefined, cat);
    expect(r.fundTotalFen).toBe(0);
    expect(r.issues[0]!.code).toBe('level-not-in-policy');
  });
});

describe('line classification', () => {
  const p = byId('320400-2022-resident');
  const cat = catalogOf({
    CAP: item('A', 0, { priceCapFen: 1000 }),
    GIRL: item('A', 0, { restrictions: { sex: '2' } }),
    KID: item('B', 200, { restrictions: { maxAgeYears: 11 } }),
    L3: item('A', 0, { restrictions: { minInstitutionLevel: '3' } }),
    IND: item('B', 0, { restrictions: { indicationPrefixes: ['D80'] } }),
    WI: item('A', 0, { restrictions: { benefitTypes: ['work-injury'] } }),
    B: item('B', 0),
  });
  const r = settle(
    {
      encounter: encounter({ scheme: 'resident', ageYears: 40 }),
      lines: [
        line('cap', 'CAP', 3600, { quantity: 3, unitPriceFen: 1200 }),
        line('girl', 'GIRL', 500),
        line('kid', 'KID', 700, { payClass: 'B' }),
        line('l3', 'L3', 900),
        line('ind', 'IND', 1100, { payClass: 'B' }),
        line('wi', 'WI', 1300),
        line('b', 'B', 1000, { payClass: 'B' }),
        line('unknown', 'NOPE', 200, { payClass: 'C' }),
      ],
      institutionLevel: '2',
      personType: 'adult',
    },
    p,
    undefined,
    cat,
  );
  it('applies price caps, restrictions and the default 乙类 ratio with reasons', () => {
    expect(r.lines.map((l) => l.reason)).toEqual([
      'over-price-cap', 'restricted-sex', 'restricted-age', 'restricted-level', 'restricted-indication', 'restricted-benefit', 'self-pay-first', 'not-in-catalog',
    ]);
    expect(r.lines[0]!.overLimitFen).toBe(600);
    expect(r.lines[6]!.preSelfPayFen).toBe(100);
    const sum = r.fullSelfPayFen + r.overLimitFen + r.preSelfPayFen + r.inScopeFen;
    expect(sum).toBe(r.totalFen);
  });
  it('explains the settlement in Chinese first', () => {
    const text = explainSettlement(r).join('\n');
    expect(text).toContain('医疗费总额');
    expect(text).toContain('限性别');
  });
});

function roundHalf(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

describe('Beijing employee (published bands; year not stated by the source)', () => {
  const p = byId('110000-employee-banzhengshi');
  const cat = catalogOf({ A: item('A') });
  const run = (personType: 'in-service' | 'retired', amount: number, kind: 'inpatient' | 'outpatient' = 'inpatient', level: '1' | '2' | '3' = '3', ytd?: ReturnType<typeof emptyYearToDate>) =>
    settle({ encounter: encounter({ kind, dischargeDate: '2022-06-01' }), lines: [line('1', 'A', amount)], institutionLevel: level, personType }, p, ytd, cat);
  it('三级 在职 50,000: 1300–3万 85%, 3–4万 90%, 4–5万 95%', () => {
    const r = run('in-service', 5_000_000);
    expect(r.fundFen).toBe(roundHalf((3_000_000 - 130_000) * 0.85 + 1_000_000 * 0.9 + 1_000_000 * 0.95));
  });
  it('三级 退休 150,000: basic up to 10万, 大额 90% of 10–15万', () => {
    const r = run('retired', 15_000_000);
    expect(r.fundFen).toBe(roundHalf((3_000_000 - 130_000) * 0.955 + 1_000_000 * 0.97 + 6_000_000 * 0.985));
    expect(r.aboveCapFen).toBe(5_000_000);
    expect(r.tier2Fen).toBe(4_500_000);
  });
  it('second admission deductible 650', () => {
    const r1 = run('in-service', 500_000);
    const r2 = run('in-service', 500_000, 'inpatient', '3', r1.ytd);
    expect(r2.deductibleFen).toBe(65_000);
  });
  it('门诊 在职: 1800 a year, 社区 90%, then 60% above 2万 of the year', () => {
    const a = run('in-service', 1_000_000, 'outpatient', '1');
    expect(a.deductibleFen).toBe(180_000);
    expect(a.fundFen).toBe(roundHalf(820_000 * 0.9));
    const b = run('in-service', 1_500_000, 'outpatient', '2', a.ytd);
    expect(b.deductibleFen).toBe(0);
    // year position 1,000,000 → 2,500,000: up to 2,000,000 at 70% (医院), above at 60%
    expect(b.fundFen).toBe(roundHalf(1_000_000 * 0.7 + 500_000 * 0.6));
  });
});

/**
 * Published worked example: 黑龙江省医疗保障局 负责人 "举个栗子" (城镇职工, 参保人员老郭).
 * Source: 如何计算医保报销金额? 省医保专家给你"举个栗子"! (来源 ZAKER哈尔滨, Sina 黑龙江, 2020-06-05),
 * http://hlj.sina.com.cn/news/ljyw/2020-06-05/detail-iirczymk5327055.shtml?from=hlj_ydph (S1 of
 * shared/notes/settlement.md). The page states: 目录范围内诊疗等费用 2000 元, 甲类药品 3000 元, 乙类药品
 * 5000 元 with 自付比例 10%, 当地起付线 1300 元, 未超过封顶线, 该级别医院报销比例 80%; result: 纳入报销范围
 * 8200 元, 医保报销 8200 × 80% = 6560 元, 老郭自担 3440 元 = 起付线 1300 + 乙类自付 500 + 按比例个人负担 1640.
 * The page names no city and no hospital level (its parameters are illustrative, "当地"), so the policy is
 * built here rather than in data/policies; level 三级 is only the key the single stated rate is filed under.
 */
describe('published example: 老郭 (黑龙江省医保局 举例, 2020)', () => {
  const policy = parsePolicy({
    id: 'example-2020-heilongjiang',
    region: { code: '230000', name: 'Heilongjiang example (illustrative local parameters)' },
    effectiveFrom: '2020-01-01',
    effectiveTo: '2020-12-31',
    sources: [{ title: '如何计算医保报销金额? 省医保专家给你"举个栗子"!', url: 'http://hlj.sina.com.cn/news/ljyw/2020-06-05/detail-iirczymk5327055.shtml?from=hlj_ydph', reliability: 'C', supports: '起付线 1300, 80%, 乙类药 10%' }],
    lines: { defaultSelfPayFirstPermille: { drug: 100 }, itemRules: [] },
    schemes: {
      employee: {
        label: 'example',
        inpatient: [{ label: 'stated level', deductible: { byLevelFen: { '3': 130000 } }, bandBasis: 'encounter', bands: [{ upToFen: null, fundRateBp: { '3': 8000 } }], fundCap: null }],
      },
    },
  });
  // 乙类药 carries no ratio in the catalog here: the policy's stated 10% for drugs applies
  const catalog = catalogOf({ SERVICE: item('A'), DRUG_A: item('A'), DRUG_B: item('B') });
  const r = settle(
    {
      encounter: encounter({ dischargeDate: '2020-06-01' }),
      lines: [line('s', 'SERVICE', 200000, { category: 'service' }), line('a', 'DRUG_A', 300000), line('b', 'DRUG_B', 500000, { payClass: 'B' })],
      institutionLevel: '3',
      personType: 'in-service',
    },
    policy,
    undefined,
    catalog,
  );
  it('reproduces 医保报销 6560 and 个人承担 3440 (1300 + 500 + 1640) to the fen', () => {
    expect(r.totalFen).toBe(1000000);
    expect(r.preSelfPayFen).toBe(50000);
    expect(r.inScopeFen).toBe(950000);
    expect(r.deductibleFen).toBe(130000);
    expect(r.fundFen).toBe(656000);
    expect(r.fundTotalFen).toBe(656000);
    expect(r.coPayFen).toBe(164000);
    expect(r.patientFen).toBe(344000);
    expect(r.lines[2]!.preSelfPayFen).toBe(50000);
  });
});

/**
 * Published worked example: 宁波医疗保障 "2023年宁波居民医保住院报销比例+起付线", 举例说明 赵大伯 (59 岁,
 * 城乡居民, 无特殊病种备案, 本年度第一次住院, 三级医院). Source: repost at
 * http://m.jwbk.com/techan/e0eed0076ac4010ca7eb111d6294a169.html (2023-11-08; 政策来源 宁波医疗保障,
 * https://mp.weixin.qq.com/s/wPm-3OQcDFhCIS0cf8AkSw). The page states: 医疗费用 22000 元, 其中自费 1500 元,
 * 乙类药品医疗服务项目先行自付 500 元; 起付标准 1200 元; 统筹基金支付 (22000 − 1500 − 500 − 1200) × 70% =
 * 13160 元; 个人按比例自付 30% = 5640 元; 赵大伯共支付 1500 + 500 + 1200 + 5640 = 8840 元.
 * The page gives the 乙类 先行自付 only as an amount (500 元), not the 乙类 cost or its ratio: the test
 * therefore carries that 500 as a 乙类 line paid 100% first, and the rest of the in-scope cost
 * (22000 − 1500 − 500 = 20000, including the in-scope remainder of the 乙类 items) as one 甲类 line. Any
 * split with the same totals gives the same result, so the published figures determine it uniquely.
 * Policy: data/policies/330200/2023-01-01.json (encodes only the figures this page states).
 */
describe('published example: 赵大伯 (宁波医疗保障 2023, 城乡居民 三级)', () => {
  const p = byId('330200-2023-resident');
  const catalog = catalogOf({ SELF: item('C'), B_FIRST: item('B', 1000), INSCOPE: item('A') });
  const r = settle(
    {
      encounter: encounter({ scheme: 'resident', ageYears: 59, dischargeDate: '2023-10-01' }),
      lines: [line('c', 'SELF', 150000, { payClass: 'C' }), line('b', 'B_FIRST', 50000, { payClass: 'B' }), line('a', 'INSCOPE', 2000000)],
      institutionLevel: '3',
      personType: 'adult',
    },
    p,
    undefined,
    catalog,
  );
  it('reproduces 统筹基金支付 13160, 按比例自付 5640 and 个人支付 8840 to the fen', () => {
    expect(r.totalFen).toBe(2200000);
    expect(r.fullSelfPayFen).toBe(150000);
    expect(r.preSelfPayFen).toBe(50000);
    expect(r.deductibleFen).toBe(120000);
    expect(r.fundFen).toBe(1316000);
    expect(r.fundTotalFen).toBe(1316000);
    expect(r.coPayFen).toBe(564000);
    expect(r.patientFen).toBe(884000);
    expect(r.patientFen).toBe(150000 + 50000 + 120000 + 564000);
  });
  it('a level the page does not state is reported, not guessed', () => {
    const r2 = settle({ encounter: encounter({ scheme: 'resident', ageYears: 59, dischargeDate: '2023-10-01' }), lines: [line('a', 'INSCOPE', 100000)], institutionLevel: '2', personType: 'adult' }, p, undefined, catalog);
    expect(r2.fundTotalFen).toBe(0);
    expect(r2.issues.map((i) => i.code)).toContain('level-not-in-policy');
  });
});
