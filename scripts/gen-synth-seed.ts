/**
 * Regenerates data/synth/ (the synthetic generator's seed) from /work/shared/reference:
 *   node --import tsx scripts/gen-synth-seed.ts [--reference DIR] [--out DIR]
 *
 * - catalog.json: real national insurance codes and names from nhsa-rules/catalog (with their
 *   restrictions from nhsa-rules/knowledge: sex, paediatric-only, service frequency, duplicate-charge
 *   pairs) plus clearly marked MedFund supplementary items (codes `MF…`) where the reference lists no
 *   national code. Prices are synthetic (the reference has none) — see data/synth/NOTICE.
 * - templates.json: inpatient case templates per ADRG whose principal diagnoses and procedures come
 *   from the CHS-DRG 2.0 scheme lists and are KEPT ONLY IF they group into that ADRG (checked with
 *   src/synth/adrg-check.ts); the CHS-DRG 1.1 ADRG of the same codes is recorded too. Outpatient and
 *   online templates; secondary-diagnosis pools (plain comorbidities and CC/MCC codes).
 * The product reads only data/synth at run time; this script is the only reader of /work/shared.
 */
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileScheme, groupAdrg, type SchemeLike } from '../src/synth/adrg-check.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const REF = resolve(opt('--reference', join(import.meta.dirname, '../../shared/reference')));
const OUT = resolve(opt('--out', join(import.meta.dirname, '../data/synth')));
const KNOWLEDGE = resolve(join(import.meta.dirname, '../data/knowledge'));

const readJson = <T>(p: string): T => JSON.parse(readFileSync(join(REF, p), 'utf8')) as T;

// ── reference data ──
type CatalogIndex = { entries: Record<string, { names: string[]; ruleFiles: string[]; pricingUnit?: string }> };
const drugIndex = readJson<CatalogIndex>('nhsa-rules/catalog/drug-codes.json').entries;
const serviceIndex = readJson<CatalogIndex>('nhsa-rules/catalog/service-codes.json').entries;
type KRow = { id: string; itemName: string; codes: string[]; params: Record<string, unknown>; supersededBy: string | null };
const knowledge = (slug: string): KRow[] => readJson<{ rows: KRow[] }>(`nhsa-rules/knowledge/${slug}.json`).rows;

const sexByCode = new Map<string, '1' | '2'>();
for (const slug of ['drug-sex', 'service-sex']) {
  for (const r of knowledge(slug)) for (const c of r.codes) sexByCode.set(c, r.params.sex === 'M' ? '1' : '2');
}
const paedByCode = new Map<string, string>();
for (const slug of ['drug-paediatric-only', 'drug-children-payment', 'service-paediatric-only']) {
  for (const r of knowledge(slug)) for (const c of r.codes) paedByCode.set(c, String(r.params.population ?? 'child'));
}
const freqByCode = new Map<string, number>();
for (const r of knowledge('service-frequency')) for (const c of r.codes) freqByCode.set(c, Number(r.params.maxQuantity));
const dupRows = knowledge('service-duplicate-charge');

// ── catalog ──
type Category = 'drug' | 'consumable' | 'service' | 'facility';
interface SeedItem {
  code: string;
  name: string;
  category: Category;
  payClass: 'A' | 'B' | 'C';
  unit: string;
  priceCapFen: number;
  selfPayFirstPermille: number;
  restrictions: { sex?: '1' | '2'; minAgeYears?: number; maxAgeYears?: number; maxQuantityPerDay?: number };
  origin: 'nhsa' | 'medfund-supplementary';
  nhsaRuleFiles?: string[];
}

/** Upper age (years, inclusive) we use for the NHSA paediatric populations — the NHSA publishes none (FORMAT.md §8.5). */
const PAED_MAX_AGE: Record<string, number> = { neonate: 0, infant: 0, 'infant-toddler': 2, child: 17 };

/** National items: [code, category, payClass, unit, priceCapFen]. Codes are checked against the reference. */
const NATIONAL: [string, Category, 'A' | 'B' | 'C', string, number][] = [
  // facility 服务设施 (bed, nursing, heating)
  ['001109000010000', 'facility', 'A', '日', 5000], // 普通病房床位费
  ['001109000030000', 'facility', 'A', '日', 12000], // 监护病房床位费
  ['001201000030000', 'facility', 'A', '日', 3000], // Ⅰ级护理
  ['001201000040000', 'facility', 'A', '日', 2000], // Ⅱ级护理
  ['001201000050000', 'facility', 'A', '日', 1200], // Ⅲ级护理
  ['001107000010000', 'facility', 'A', '日', 800], // 病房取暖费
  // services 诊疗项目
  ['001102000050000', 'service', 'A', '日', 2000], // 住院诊查费
  ['001102000030000', 'service', 'A', '次', 1500], // 急诊诊查费
  ['001103000010000', 'service', 'A', '日', 8000], // 急诊监护费
  ['003106030010000', 'service', 'A', '小时', 1500], // 呼吸机辅助呼吸
  ['003106030020000', 'service', 'A', '小时', 800], // 无创辅助通气
  ['003107010220000', 'service', 'A', '小时', 400], // 心电监测
  ['003107010280000', 'service', 'A', '小时', 300], // 血氧饱和度监测
  ['003107020020000', 'service', 'A', '小时', 600], // 持续有创性血压监测
  ['003110000060000', 'service', 'A', '次', 45000], // 血液透析
  ['003110000110000', 'service', 'A', '小时', 12000], // 连续性血液净化
  ['003110000020000', 'service', 'A', '小时', 3000], // 腹透机自动腹膜透析
  ['003110000100000', 'service', 'A', '次', 60000], // 血液灌流
  ['002503040010000', 'service', 'A', '次', 500], // 钾测定
  ['003102060080000', 'service', 'A', '次', 3000], // 钾负荷试验
  ['003205000010000', 'service', 'B', '次', 250000], // 冠状动脉造影术
  ['003205000030000', 'service', 'B', '次', 450000], // 经皮冠状动脉内支架置入术(STENT)
  ['003205000020000', 'service', 'B', '次', 350000], // 经皮冠状动脉腔内成形术(PTCA)
  ['003109020050000', 'service', 'A', '次', 25000], // 纤维胃十二指肠镜检查
  ['003109010070000', 'service', 'A', '次', 120000], // 经胃镜食管静脉曲张治疗
  ['003301000010000', 'service', 'A', '次', 3000], // 局部浸润麻醉
  ['003301000150000', 'service', 'A', '小时', 1000], // 麻醉中监测
  // sex-specific services (service-sex)
  ['002501040140000', 'service', 'A', '次', 1000], // 阴道分泌物检查 (F)
  ['003112010230000', 'service', 'A', '次', 1500], // 产前检查 (F)
  ['003112010260000', 'service', 'A', '次', 2000], // 胎心监测 (F)
  ['003314000020000', 'service', 'A', '次', 150000], // 单胎顺产接生 (F)
  ['003314000120000', 'service', 'A', '次', 250000], // 剖宫产术 (F)
  ['003313030140000', 'service', 'A', '次', 320000], // 腹式全子宫切除术 (F)
  ['003313010020000', 'service', 'A', '次', 220000], // 卵巢囊肿剔除术 (F)
  ['002501040130000', 'service', 'A', '次', 1000], // 前列腺液常规检查 (M)
  ['003312010060000', 'service', 'A', '次', 300000], // 经尿道前列腺电切术 (M)
  // paediatric-only services
  ['001204000070000', 'service', 'A', '次', 1500], // 小儿头皮静脉输液 (child)
  ['001201000070000', 'service', 'A', '日', 3000], // 新生儿护理 (neonate)
  // drugs with national restrictions (drug-sex, drug-paediatric-only)
  ['XH01BBS194B002010100112', 'drug', 'A', '支', 300], // 缩宫素注射液 (F)
  ['XG03DBD084A001010102180', 'drug', 'B', '片', 600], // 地屈孕酮片 (F)
  ['XG01AFK079A008010100225', 'drug', 'B', '片', 200], // 克霉唑阴道片 (F)
  ['XG04CXP102A001020101575', 'drug', 'B', '片', 150], // 普适泰片 (M)
  ['XL02BBB085A001010100662', 'drug', 'B', '片', 2500], // 比卡鲁胺片 (M)
  ['XN02BEX097A001010105889', 'drug', 'B', '片', 60], // 小儿对乙酰氨基酚片 (child)
  ['XM01AEX094D001010101792', 'drug', 'B', '粒', 300], // 小儿布洛芬栓 (child)
  ['XN02BEX085N001010100269', 'drug', 'B', '袋', 120], // 小儿氨酚黄那敏颗粒 (child)
];

/** MedFund supplementary items (no national code in the reference): [code, name, category, payClass, unit, capFen, maxPerDay?]. */
const SUPPLEMENTARY: [string, string, Category, 'A' | 'B' | 'C', string, number, number?][] = [
  ['MFS0001', '氧气吸入(吸氧)', 'service', 'A', '小时', 250, 24],
  ['MFS0002', '动脉血气分析', 'service', 'A', '次', 4000],
  ['MFS0003', 'N端脑钠肽前体(NT-proBNP)测定', 'service', 'B', '次', 12000],
  ['MFS0004', '血培养及鉴定', 'service', 'A', '次', 8000],
  ['MFS0005', '降钙素原(PCT)测定', 'service', 'B', '次', 9000],
  ['MFS0010', '头颅CT平扫', 'service', 'B', '次', 15000, 1],
  ['MFS0011', '胸部CT平扫', 'service', 'B', '次', 18000, 1],
  ['MFS0012', '上腹部CT平扫', 'service', 'B', '次', 20000, 1],
  ['MFS0013', '头颅磁共振平扫', 'service', 'B', '次', 45000, 1],
  ['MFS0014', '腰椎磁共振平扫', 'service', 'B', '次', 45000, 1],
  ['MFS0020', '普通门诊诊查费', 'service', 'A', '次', 1000, 1],
  ['MFS0021', '互联网复诊诊查费', 'service', 'A', '次', 1000, 1],
  ['MFS0022', '血细胞分析(血常规)', 'service', 'A', '次', 2000],
  ['MFS0023', '尿液分析(尿常规)', 'service', 'A', '次', 1000],
  ['MFS0024', '肝功能生化检查', 'service', 'A', '次', 6000],
  ['MFS0025', '肾功能生化检查', 'service', 'A', '次', 3000],
  ['MFS0026', '常规心电图检查', 'service', 'A', '次', 2500],
  ['MFS0027', '腹部彩色多普勒超声检查', 'service', 'A', '次', 12000],
  ['MFS0028', '胸部X线摄影(DR)', 'service', 'A', '次', 8000],
  ['MFS0029', '静脉输液', 'service', 'A', '组', 1000],
  ['MFS0030', '肌肉注射', 'service', 'A', '次', 300],
  ['MFS0031', '换药(中)', 'service', 'A', '次', 2000],
  ['MFS0032', '全身麻醉', 'service', 'A', '次', 150000],
  ['MFS0033', '椎管内麻醉', 'service', 'A', '次', 80000],
  ['MFS0035', '雾化吸入', 'service', 'A', '次', 800],
  ['MFS0036', '凝血功能检查', 'service', 'A', '次', 5000],
  ['MFS0041', '一级手术费', 'service', 'A', '次', 60000],
  ['MFS0042', '二级手术费', 'service', 'A', '次', 150000],
  ['MFS0043', '三级手术费', 'service', 'A', '次', 350000],
  ['MFS0044', '四级手术费', 'service', 'A', '次', 800000],
  ['MFS0045', '眼科晶状体手术费', 'service', 'A', '次', 180000],
  ['MFC0001', '一次性使用输液器', 'consumable', 'A', '套', 500],
  ['MFC0002', '一次性使用无菌注射器', 'consumable', 'A', '支', 100],
  ['MFC0003', '静脉留置针', 'consumable', 'B', '支', 1500],
  ['MFC0004', '可吸收缝合线', 'consumable', 'B', '根', 4000],
  ['MFC0005', '一次性使用导尿包', 'consumable', 'A', '个', 3000],
  ['MFC0006', '冠脉药物洗脱支架', 'consumable', 'B', '个', 80000],
  ['MFC0007', '人工髋/膝关节假体', 'consumable', 'B', '套', 720000],
  ['MFC0008', '一次性使用吻合器', 'consumable', 'B', '把', 250000],
  ['MFC0009', '一次性使用吸痰管', 'consumable', 'A', '根', 300],
  ['MFC0010', '一次性使用引流管', 'consumable', 'A', '根', 2500],
  ['MFC0011', '可吸收止血材料', 'consumable', 'C', '片', 30000],
  ['MFC0012', '人工晶状体', 'consumable', 'B', '个', 80000],
  ['MFC0013', '接骨板及螺钉', 'consumable', 'B', '套', 150000],
  ['MFC0015', '腹腔镜穿刺器', 'consumable', 'B', '套', 60000],
  ['MFD0001', '阿莫西林胶囊', 'drug', 'A', '粒', 30],
  ['MFD0002', '注射用头孢曲松钠', 'drug', 'A', '支', 1500, 4],
  ['MFD0003', '左氧氟沙星氯化钠注射液', 'drug', 'A', '瓶', 2500, 2],
  ['MFD0004', '氯化钠注射液', 'drug', 'A', '袋', 350],
  ['MFD0005', '葡萄糖注射液', 'drug', 'A', '袋', 350],
  ['MFD0006', '氯化钾注射液', 'drug', 'A', '支', 100],
  ['MFD0007', '重酒石酸去甲肾上腺素注射液', 'drug', 'A', '支', 800],
  ['MFD0008', '盐酸多巴胺注射液', 'drug', 'A', '支', 200],
  ['MFD0009', '呋塞米注射液', 'drug', 'A', '支', 100],
  ['MFD0010', '甘露醇注射液', 'drug', 'A', '瓶', 600],
  ['MFD0011', '注射用泮托拉唑钠', 'drug', 'B', '支', 2000, 2],
  ['MFD0012', '阿司匹林肠溶片', 'drug', 'A', '片', 10],
  ['MFD0013', '阿托伐他汀钙片', 'drug', 'B', '片', 100],
  ['MFD0014', '硝苯地平控释片', 'drug', 'B', '片', 150],
  ['MFD0015', '盐酸二甲双胍片', 'drug', 'A', '片', 10],
  ['MFD0016', '生物合成人胰岛素注射液', 'drug', 'A', '支', 2000],
  ['MFD0017', '对乙酰氨基酚片', 'drug', 'A', '片', 10],
  ['MFD0018', '盐酸氨溴索注射液', 'drug', 'B', '支', 800],
  ['MFD0019', '复方甘草片', 'drug', 'A', '片', 5],
  ['MFD0020', '布洛芬缓释胶囊', 'drug', 'A', '粒', 40],
  ['MFD0021', '头孢呋辛酯片', 'drug', 'B', '片', 150],
  ['MFD0022', '低分子量肝素钙注射液', 'drug', 'B', '支', 3000, 2],
  ['MFD0023', '硫酸氢氯吡格雷片', 'drug', 'B', '片', 300],
  ['MFD0024', '地塞米松磷酸钠注射液', 'drug', 'A', '支', 50],
  ['MFD0025', '盐酸利多卡因注射液', 'drug', 'A', '支', 100],
  ['MFD0026', '丙泊酚注射液', 'drug', 'A', '支', 3000],
  ['MFD0027', '注射用头孢唑林钠', 'drug', 'A', '支', 1000, 4],
  ['MFD0029', '蒙脱石散', 'drug', 'A', '袋', 150],
  ['MFD0031', '去乙酰毛花苷注射液', 'drug', 'A', '支', 300],
  ['MFD0032', '复合维生素B片', 'drug', 'C', '片', 5],
  ['MFD0033', '苯磺酸氨氯地平片', 'drug', 'A', '片', 60],
  ['MFD0034', '单硝酸异山梨酯片', 'drug', 'A', '片', 30],
  ['MFD0035', '吸入用布地奈德混悬液', 'drug', 'B', '支', 1000],
  ['MFD0036', '胞磷胆碱钠注射液', 'drug', 'B', '支', 1200],
  ['MFD0037', '阿卡波糖片', 'drug', 'B', '片', 80],
  ['MFD0038', '雷贝拉唑钠肠溶片', 'drug', 'B', '片', 250],
  ['MFD0039', '氯雷他定片', 'drug', 'B', '片', 80],
  ['MFD0040', '酒石酸美托洛尔片', 'drug', 'A', '片', 20],
  ['MFD0041', '甲硝唑氯化钠注射液', 'drug', 'A', '瓶', 800],
];

/** Self-pay-first ratio (per-mille) we assign to 乙类 items of each category (synthetic; regions set their own). */
const SELF_PAY_FIRST: Record<Category, number> = { drug: 100, consumable: 200, service: 100, facility: 0 };

const items: SeedItem[] = [];
for (const [code, category, payClass, unit, cap] of NATIONAL) {
  const entry = (category === 'drug' ? drugIndex : serviceIndex)[code];
  if (!entry) throw new Error(`national code ${code} not in the reference catalog`);
  const restrictions: SeedItem['restrictions'] = {};
  const sex = sexByCode.get(code);
  if (sex) restrictions.sex = sex;
  const paed = paedByCode.get(code);
  if (paed) restrictions.maxAgeYears = PAED_MAX_AGE[paed] ?? 17;
  const freq = freqByCode.get(code);
  if (freq) restrictions.maxQuantityPerDay = freq;
  const allowedRuleFiles = new Set(['drug-sex', 'drug-paediatric-only', 'drug-children-payment', 'service-sex', 'service-paediatric-only', 'service-frequency', 'service-duplicate-charge', 'surgery-discount']);
  for (const f of entry.ruleFiles) if (!allowedRuleFiles.has(f)) throw new Error(`${code} carries national rule ${f} that the generator does not honour`);
  items.push({
    code,
    name: entry.names[entry.names.length - 1]!,
    category,
    payClass,
    unit: entry.pricingUnit ?? unit,
    priceCapFen: cap,
    selfPayFirstPermille: payClass === 'B' ? SELF_PAY_FIRST[category] : 0,
    restrictions,
    origin: 'nhsa',
    nhsaRuleFiles: entry.ruleFiles,
  });
}
const nationalNames = new Set<string>();
for (const e of [...Object.values(drugIndex), ...Object.values(serviceIndex)]) for (const n of e.names) nationalNames.add(n);
for (const [code, name, category, payClass, unit, cap, maxPerDay] of SUPPLEMENTARY) {
  if (nationalNames.has(name)) throw new Error(`supplementary item ${code} ${name} has a national code in the reference; use it`);
  items.push({
    code,
    name,
    category,
    payClass,
    unit,
    priceCapFen: cap,
    selfPayFirstPermille: payClass === 'B' ? SELF_PAY_FIRST[category] : 0,
    restrictions: maxPerDay ? { maxQuantityPerDay: maxPerDay } : {},
    origin: 'medfund-supplementary',
  });
}
const codes = new Set(items.map((i) => i.code));
if (codes.size !== items.length) throw new Error('duplicate catalog code');

// Duplicate-charge pairs among catalog items (national knowledge, service-duplicate-charge).
const duplicatePairs: { a: string; b: string; window: string; source: string }[] = [];
for (const r of dupRows) {
  const a = r.codes[0]!;
  const b = String(r.params.pairedItemCode);
  if (codes.has(a) && codes.has(b)) duplicatePairs.push({ a, b, window: String(r.params.window), source: r.id });
}

// Knowledge tables must reference catalog items.
for (const f of ['diagnosis-evidence.json', 'exam-indications.json']) {
  const k = JSON.parse(readFileSync(join(KNOWLEDGE, f), 'utf8')) as { entries: { evidenceItemCodes?: string[]; itemCode?: string }[] };
  for (const e of k.entries) for (const c of [...(e.evidenceItemCodes ?? []), ...(e.itemCode ? [e.itemCode] : [])]) {
    if (!codes.has(c)) throw new Error(`${f}: item ${c} is not in the synth catalog`);
  }
}

// ── DRG templates ──
const scheme20 = readJson<SchemeLike>('chs-drg-2.0/scheme.json');
const scheme11 = readJson<SchemeLike>('chs-drg-1.1/scheme.json');
const c20 = compileScheme(scheme20, readJson<string[]>('chs-drg-2.0/valid-procedures.json'));
const c11 = compileScheme(scheme11, readJson<string[]>('chs-drg-1.1/valid-procedures.json'));
const dxNames = readJson<Record<string, string>>('chs-drg-2.0/diagnoses.json');
const pxNames = readJson<Record<string, string>>('chs-drg-2.0/procedures.json');
const cc = readJson<Record<string, string>>('chs-drg-2.0/cc.json');
const mcc = readJson<Record<string, string>>('chs-drg-2.0/mcc.json');

interface TemplateSpec {
  adrg: string;
  dept: string[]; // preferred department codes, most specific first
  minLevel: 1 | 2 | 3;
  los: number; // median LOS days
  cost: number; // median cost, yuan
  weight: number;
  dx: string[]; // principal-diagnosis prefixes
  px?: string[]; // procedure-code prefixes (surgical)
  sex?: '1' | '2';
  age: [number, number];
  grade?: 1 | 2 | 3 | 4; // surgery grade
  anaesthesia?: 'general' | 'spinal' | 'local';
  surgeryItem?: string; // a specific surgery service item (national code)
  implants?: [string, number][];
  drugs: string[]; // drug pool
  services?: string[]; // extra services billed during the stay
  benefit?: 'maternity';
  /** the ADRG needs a secondary diagnosis from its list starting with this prefix (e.g. OR1: Z37 分娩结局) */
  secondaryFrom?: string;
}

const T: TemplateSpec[] = [
  { adrg: 'ES3', dept: ['A03.01', 'A03'], minLevel: 1, los: 8, cost: 7000, weight: 10, dx: ['J18', 'J15', 'J22'], age: [15, 95], drugs: ['MFD0002', 'MFD0003', 'MFD0004', 'MFD0018', 'MFD0035', 'MFD0027'], services: ['MFS0035'] },
  { adrg: 'ES3', dept: ['A07'], minLevel: 1, los: 6, cost: 4500, weight: 4, dx: ['J18', 'J15', 'J22'], age: [1, 14], drugs: ['MFD0002', 'MFD0004', 'MFD0035', 'XN02BEX097A001010105889'], services: ['MFS0035', '001204000070000'] },
  { adrg: 'ET2', dept: ['A03.01', 'A03'], minLevel: 1, los: 9, cost: 9000, weight: 6, dx: ['J44', 'J43'], age: [45, 95], drugs: ['MFD0003', 'MFD0004', 'MFD0018', 'MFD0035', 'MFD0024'], services: ['MFS0035'] },
  { adrg: 'EX2', dept: ['A03.01', 'A03'], minLevel: 1, los: 6, cost: 4500, weight: 3, dx: ['J20', 'J21'], age: [15, 90], drugs: ['MFD0002', 'MFD0004', 'MFD0018', 'MFD0019'] },
  { adrg: 'EX2', dept: ['A07'], minLevel: 1, los: 5, cost: 3500, weight: 2, dx: ['J20', 'J21'], age: [1, 14], drugs: ['MFD0002', 'MFD0004', 'XN02BEX085N001010100269', 'XM01AEX094D001010101792'], services: ['MFS0035'] },
  { adrg: 'ER1', dept: ['A19', 'A03.01', 'A03'], minLevel: 2, los: 10, cost: 15000, weight: 2, dx: ['C34'], age: [40, 90], drugs: ['MFD0004', 'MFD0005', 'MFD0011', 'MFD0024', 'MFD0017'] },
  { adrg: 'BR1', dept: ['A03.03', 'A03'], minLevel: 2, los: 12, cost: 18000, weight: 5, dx: ['I63', 'I61'], age: [45, 95], drugs: ['MFD0012', 'MFD0013', 'MFD0036', 'MFD0004', 'MFD0010', 'MFD0023'] },
  { adrg: 'BR2', dept: ['A03.03', 'A03'], minLevel: 1, los: 9, cost: 9000, weight: 4, dx: ['G45', 'I67', 'I65'], age: [45, 95], drugs: ['MFD0012', 'MFD0013', 'MFD0036', 'MFD0004'] },
  { adrg: 'FR4', dept: ['A03.04', 'A03'], minLevel: 1, los: 7, cost: 9000, weight: 5, dx: ['I20'], age: [40, 95], drugs: ['MFD0012', 'MFD0013', 'MFD0034', 'MFD0023', 'MFD0040', 'MFD0022'] },
  { adrg: 'FR2', dept: ['A03.04', 'A03'], minLevel: 2, los: 9, cost: 12000, weight: 3, dx: ['I50'], age: [50, 95], drugs: ['MFD0009', 'MFD0031', 'MFD0040', 'MFD0013', 'MFD0004'], services: ['MFS0003'] },
  { adrg: 'FV2', dept: ['A03.04', 'A03'], minLevel: 1, los: 7, cost: 6000, weight: 4, dx: ['I10', 'I11'], age: [35, 95], drugs: ['MFD0014', 'MFD0033', 'MFD0040', 'MFD0012'] },
  { adrg: 'FU2', dept: ['A03.04', 'A03'], minLevel: 2, los: 6, cost: 8000, weight: 2, dx: ['I48', 'I49', 'I47'], age: [35, 95], drugs: ['MFD0040', 'MFD0022', 'MFD0004'] },
  { adrg: 'FR1', dept: ['A03.04', 'A03'], minLevel: 2, los: 10, cost: 25000, weight: 1.5, dx: ['I21'], age: [40, 95], drugs: ['MFD0012', 'MFD0023', 'MFD0013', 'MFD0022', 'MFD0034'] },
  { adrg: 'GW1', dept: ['A03.02', 'A03'], minLevel: 1, los: 5, cost: 4500, weight: 5, dx: ['K52', 'A09', 'K21', 'K20'], age: [15, 90], drugs: ['MFD0011', 'MFD0004', 'MFD0005', 'MFD0029', 'MFD0041'] },
  { adrg: 'GU2', dept: ['A03.02', 'A03'], minLevel: 2, los: 7, cost: 8000, weight: 2, dx: ['K25', 'K26', 'K27'], age: [18, 90], drugs: ['MFD0011', 'MFD0004', 'MFD0038'] },
  { adrg: 'GS1', dept: ['A03.02', 'A03'], minLevel: 2, los: 8, cost: 12000, weight: 2, dx: ['K92'], age: [18, 90], drugs: ['MFD0011', 'MFD0004', 'MFD0005'] },
  { adrg: 'HS2', dept: ['A03.02', 'A03'], minLevel: 2, los: 11, cost: 14000, weight: 1.5, dx: ['K74', 'K70.3'], age: [30, 90], drugs: ['MFD0011', 'MFD0009', 'MFD0004'] },
  { adrg: 'HT2', dept: ['A03.02', 'A03'], minLevel: 2, los: 9, cost: 14000, weight: 1.5, dx: ['K85'], age: [18, 90], drugs: ['MFD0011', 'MFD0004', 'MFD0005', 'MFD0003'] },
  { adrg: 'HU1', dept: ['A04.01', 'A04'], minLevel: 1, los: 7, cost: 8000, weight: 2, dx: ['K80', 'K81', 'K83.0'], age: [18, 90], drugs: ['MFD0002', 'MFD0041', 'MFD0004', 'MFD0011'] },
  { adrg: 'KS1', dept: ['A03.07', 'A03'], minLevel: 1, los: 9, cost: 8000, weight: 4, dx: ['E11', 'E10', 'E14'], age: [20, 95], drugs: ['MFD0015', 'MFD0016', 'MFD0037', 'MFD0013'] },
  { adrg: 'LU1', dept: ['A03.06', 'A03'], minLevel: 1, los: 7, cost: 6000, weight: 2, dx: ['N39', 'N10', 'N30'], age: [18, 90], drugs: ['MFD0003', 'MFD0002', 'MFD0004'] },
  { adrg: 'LR1', dept: ['A03.06', 'A03'], minLevel: 2, los: 11, cost: 15000, weight: 1.5, dx: ['N18', 'N19'], age: [30, 90], drugs: ['MFD0009', 'MFD0004', 'MFD0033'] },
  { adrg: 'IU2', dept: ['A04.03', 'A04'], minLevel: 1, los: 10, cost: 8000, weight: 3, dx: ['M54', 'M51', 'M47', 'M48'], age: [30, 90], drugs: ['MFD0020', 'MFD0024', 'MFD0004'] },
  { adrg: 'SR1', dept: ['A28', 'A03'], minLevel: 3, los: 13, cost: 30000, weight: 0.6, dx: ['A41', 'A40'], age: [18, 95], drugs: ['MFD0002', 'MFD0003', 'MFD0004', 'MFD0005', 'MFD0011'], services: ['MFS0004', 'MFS0005'] },
  { adrg: 'JU1', dept: ['A13', 'A04.01', 'A04'], minLevel: 1, los: 7, cost: 5000, weight: 1.5, dx: ['L03', 'L02'], age: [15, 90], drugs: ['MFD0027', 'MFD0002', 'MFD0004', 'MFD0041'], services: ['MFS0031'] },
  { adrg: 'OZ1', dept: ['A05.02', 'A05'], minLevel: 1, los: 5, cost: 4000, weight: 2, dx: ['O20', 'O21', 'O26', 'O47'], sex: '2', age: [20, 42], drugs: ['XG03DBD084A001010102180', 'MFD0004', 'MFD0005'], services: ['003112010260000', '003112010230000'], benefit: 'maternity' },
  { adrg: 'OR1', dept: ['A05.02', 'A05'], minLevel: 1, los: 3, cost: 4500, weight: 5, dx: ['O80', 'O70', 'O48', 'O60'], secondaryFrom: 'Z37', sex: '2', age: [20, 42], drugs: ['XH01BBS194B002010100112', 'MFD0004', 'MFD0017'], services: ['003314000020000'], benefit: 'maternity' },
  { adrg: 'NZ1', dept: ['A05.01', 'A05'], minLevel: 1, los: 5, cost: 5000, weight: 1.5, dx: ['N83', 'N92', 'N93', 'N95'], sex: '2', age: [18, 60], drugs: ['MFD0004', 'MFD0020', 'MFD0041'], services: ['002501040140000'] },
  { adrg: 'MS1', dept: ['A04.04', 'A04'], minLevel: 1, los: 6, cost: 5000, weight: 1, dx: ['N41', 'N45', 'N49'], sex: '1', age: [18, 85], drugs: ['MFD0003', 'MFD0004', 'XG04CXP102A001020101575'], services: ['002501040130000'] },
  { adrg: 'DT1', dept: ['A11', 'A03'], minLevel: 1, los: 5, cost: 3500, weight: 1.5, dx: ['J02', 'J03', 'H65', 'H66', 'J01'], age: [15, 80], drugs: ['MFD0002', 'MFD0004', 'MFD0017'] },
  // surgical
  { adrg: 'GE2', dept: ['A04.01', 'A04'], minLevel: 1, los: 6, cost: 12000, weight: 3, dx: ['K35', 'K36', 'K37'], px: ['47.0'], age: [10, 80], grade: 2, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0041', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 2], ['MFC0010', 1]] },
  { adrg: 'GF3', dept: ['A04.01', 'A04'], minLevel: 1, los: 5, cost: 10000, weight: 2, dx: ['K40'], px: ['53.0', '53.1'], age: [18, 85], grade: 2, anaesthesia: 'spinal', drugs: ['MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 2]] },
  { adrg: 'HC2', dept: ['A04.01', 'A04'], minLevel: 2, los: 7, cost: 18000, weight: 3, dx: ['K80', 'K81'], px: ['51.2'], age: [20, 85], grade: 3, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0011', 'MFD0017'], implants: [['MFC0015', 1], ['MFC0004', 2], ['MFC0011', 1]] },
  { adrg: 'GB2', dept: ['A04.01', 'A04'], minLevel: 3, los: 16, cost: 60000, weight: 0.6, dx: ['C16'], px: ['43.5', '43.6', '43.7', '43.8', '43.9'], age: [35, 85], grade: 4, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0005', 'MFD0011', 'MFD0022'], implants: [['MFC0008', 1], ['MFC0004', 4], ['MFC0010', 2]] },
  { adrg: 'GK2', dept: ['A03.02', 'A03'], minLevel: 2, los: 6, cost: 12000, weight: 1.2, dx: ['K25', 'K26', 'K29', 'K31', 'D13'], px: ['43.41', '44.43'], age: [18, 85], grade: 2, anaesthesia: 'local', drugs: ['MFD0011', 'MFD0004'], services: ['003109020050000'] },
  { adrg: 'GG1', dept: ['A04.01', 'A04'], minLevel: 1, los: 6, cost: 8000, weight: 2, dx: ['I84', 'K64', 'K60', 'K61'], px: ['49.4', '49.1', '49.7'], age: [18, 85], grade: 2, anaesthesia: 'spinal', drugs: ['MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 1]] },
  { adrg: 'IC2', dept: ['A04.03', 'A04'], minLevel: 3, los: 14, cost: 65000, weight: 1, dx: ['M16', 'M17', 'S72.0'], px: ['81.51', '81.54'], age: [50, 90], grade: 4, anaesthesia: 'spinal', drugs: ['MFD0027', 'MFD0004', 'MFD0022', 'MFD0020'], implants: [['MFC0007', 1], ['MFC0010', 1]] },
  { adrg: 'IE5', dept: ['A04.03', 'A04'], minLevel: 2, los: 8, cost: 25000, weight: 1.2, dx: ['S42', 'S52'], px: ['79.3', '78.5'], age: [15, 85], grade: 3, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0020'], implants: [['MFC0013', 1], ['MFC0004', 2]] },
  { adrg: 'FM3', dept: ['A03.04', 'A03'], minLevel: 3, los: 7, cost: 45000, weight: 1.5, dx: ['I20', 'I21', 'I25'], px: ['36.06', '36.07'], age: [40, 90], grade: 4, anaesthesia: 'local', surgeryItem: '003205000030000', drugs: ['MFD0012', 'MFD0023', 'MFD0013', 'MFD0022', 'MFD0004'], implants: [['MFC0006', 1]] },
  { adrg: 'FM5', dept: ['A03.04', 'A03'], minLevel: 2, los: 4, cost: 12000, weight: 1, dx: ['I20', 'I25'], px: ['88.55', '88.56', '88.57', '37.22', '37.23'], age: [40, 90], grade: 3, anaesthesia: 'local', surgeryItem: '003205000010000', drugs: ['MFD0012', 'MFD0013', 'MFD0023', 'MFD0004'] },
  { adrg: 'EB1', dept: ['A04.05', 'A04'], minLevel: 3, los: 12, cost: 55000, weight: 0.5, dx: ['C34'], px: ['32.4', '32.5', '32.3'], age: [35, 85], grade: 4, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0018', 'MFD0011'], implants: [['MFC0008', 1], ['MFC0010', 2], ['MFC0004', 3]] },
  { adrg: 'MB1', dept: ['A04.04', 'A04'], minLevel: 2, los: 9, cost: 22000, weight: 1, dx: ['N40'], px: ['60.2'], sex: '1', age: [55, 90], grade: 3, anaesthesia: 'spinal', surgeryItem: '003312010060000', drugs: ['MFD0003', 'MFD0004', 'XG04CXP102A001020101575'], implants: [['MFC0005', 1]] },
  { adrg: 'NC1', dept: ['A05.01', 'A05'], minLevel: 2, los: 8, cost: 22000, weight: 1, dx: ['D25', 'N80'], px: ['68.3', '68.4', '68.5'], sex: '2', age: [30, 60], grade: 3, anaesthesia: 'general', surgeryItem: '003313030140000', drugs: ['MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 3], ['MFC0005', 1]] },
  { adrg: 'ND1', dept: ['A05.01', 'A05'], minLevel: 2, los: 6, cost: 15000, weight: 1, dx: ['N83', 'D27'], px: ['65.2', '65.3', '65.4', '65.0'], sex: '2', age: [18, 55], grade: 3, anaesthesia: 'general', surgeryItem: '003313010020000', drugs: ['MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0015', 1], ['MFC0004', 2]] },
  { adrg: 'OB1', dept: ['A05.02', 'A05'], minLevel: 1, los: 5, cost: 9000, weight: 4, dx: ['O32', 'O33', 'O34', 'O64', 'O65', 'O68', 'O82'], px: ['74.1'], sex: '2', age: [20, 42], grade: 3, anaesthesia: 'spinal', surgeryItem: '003314000120000', drugs: ['XH01BBS194B002010100112', 'MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 2], ['MFC0005', 1]], services: ['003112010260000'], benefit: 'maternity' },
  { adrg: 'CB5', dept: ['A10'], minLevel: 2, los: 3, cost: 8000, weight: 1.5, dx: ['H25', 'H26'], px: ['13.4', '13.7', '13.1'], age: [50, 90], grade: 2, anaesthesia: 'local', surgeryItem: 'MFS0045', drugs: ['MFD0024', 'MFD0041'], implants: [['MFC0012', 1]] },
  { adrg: 'DG2', dept: ['A11'], minLevel: 2, los: 5, cost: 8000, weight: 0.8, dx: ['J35', 'J03'], px: ['28.2', '28.3', '28.6'], age: [5, 40], grade: 2, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0017'] },
  { adrg: 'KD2', dept: ['A04.01', 'A04'], minLevel: 2, los: 6, cost: 15000, weight: 1, dx: ['E04', 'D34', 'E05'], px: ['06.2', '06.3', '06.5'], age: [20, 80], grade: 3, anaesthesia: 'general', drugs: ['MFD0027', 'MFD0004', 'MFD0017'], implants: [['MFC0004', 2], ['MFC0010', 1], ['MFC0011', 1]] },
  { adrg: 'LB1', dept: ['A04.04', 'A04'], minLevel: 2, los: 7, cost: 20000, weight: 1, dx: ['N20'], px: ['55.0', '55.03', '55.04', '98.5'], age: [20, 85], grade: 3, anaesthesia: 'general', drugs: ['MFD0003', 'MFD0004', 'MFD0017'], implants: [['MFC0005', 1], ['MFC0010', 1]] },
];

/** Female-/male-only ICD-10 ranges (by 3-character category) used to keep diagnoses consistent with sex. */
function dxSex(code: string): '1' | '2' | undefined {
  const cat = code.slice(0, 3);
  if (cat[0] === 'O') return '2';
  if ((cat >= 'N70' && cat <= 'N98') || (cat >= 'C51' && cat <= 'C58') || (cat >= 'D25' && cat <= 'D28')) return '2';
  if ((cat >= 'N40' && cat <= 'N51') || (cat >= 'C60' && cat <= 'C63')) return '1';
  return undefined;
}

const plainCode = (c: string): boolean => !/[+*]/.test(c);
/** A local extension code (e.g. `J00.x00x004`) — the 6-character base codes are preferred. */
const isExtension = (c: string): boolean => /^.{7}x/.test(c);
/** Codes of the lists an ADRG's entry condition names under the given condition kinds. */
function adrgLists(adrg: string, kinds: string[]): string[] {
  const names = new Set<string>();
  const walk = (c: unknown): void => {
    if (Array.isArray(c)) return c.forEach(walk);
    if (c && typeof c === 'object') for (const [k, v] of Object.entries(c)) (kinds.includes(k) && typeof v === 'string' ? names.add(v) : walk(v));
  };
  walk(scheme20.adrgs[adrg]!.entry);
  return [...names].flatMap((n) => scheme20.lists[n] ?? []);
}

interface BuiltTemplate extends Omit<TemplateSpec, 'dx' | 'px'> {
  id: string;
  mdc: string;
  name: string;
  adrg11: Record<string, string>; // principal dx|proc → 1.1 ADRG (informational)
  principals: { code: string; name: string }[];
  procedures: { code: string; name: string }[];
  requiredSecondary: { code: string; name: string } | null;
}

const templates: BuiltTemplate[] = [];
const sexBand = (spec: TemplateSpec): '1' | '2' => spec.sex ?? '1';
for (const [i, spec] of T.entries()) {
  const adrg = scheme20.adrgs[spec.adrg] as unknown as { mdc: string; name: string };
  const mdcList = new Set(scheme20.lists[adrg.mdc] ?? []);
  const own = new Set(adrgLists(spec.adrg, ['principalDiagnosisIn']));
  const requiredSecondary = spec.secondaryFrom ? adrgLists(spec.adrg, ['secondaryDiagnosisIn']).filter((c) => c.startsWith(spec.secondaryFrom!) && plainCode(c)).sort()[0] : undefined;
  if (spec.secondaryFrom && !requiredSecondary) throw new Error(`template ${spec.adrg}: no secondary code ${spec.secondaryFrom}`);
  const dxPool = (own.size > 0 ? [...own] : [...mdcList]).filter((c) => plainCode(c) && dxNames[c] && spec.dx.some((p) => c.startsWith(p)));
  // Prefer the standard codes (no 'x' local extension) and keep the list short.
  dxPool.sort((a, b) => Number(isExtension(a)) - Number(isExtension(b)) || a.localeCompare(b));
  const pxPool = spec.px ? adrgLists(spec.adrg, ['principalProcedureIn', 'anyProcedureIn']).filter((c) => pxNames[c] && spec.px!.some((p) => c.startsWith(p))).sort() : [];
  const age = Math.max(spec.age[0], 30 > spec.age[1] ? spec.age[0] : 30);
  const principals: { code: string; name: string }[] = [];
  const procedures: { code: string; name: string }[] = [];
  const adrg11: Record<string, string> = {};
  const okProcs = new Set<string>();
  for (const d of dxPool) {
    if (principals.length >= 12) break;
    const s = dxSex(d);
    if (s && s !== (spec.sex ?? s)) continue;
    if (s && !spec.sex) continue;
    const gender = spec.sex ?? sexBand(spec);
    const tryProcs = spec.px ? pxPool.slice(0, 30) : [undefined];
    let fits = false;
    for (const p of tryProcs) {
      const rec = { gender, ageYears: age, ageDays: 0, weightGrams: 0, diagnoses: requiredSecondary ? [d, requiredSecondary] : [d], procedures: p ? [p] : [] };
      const otherGender = { ...rec, gender: gender === '1' ? ('2' as const) : ('1' as const) };
      const r = groupAdrg(c20, rec);
      if (r.status !== 'SUCCESS' || r.code !== spec.adrg) continue;
      if (!spec.sex && groupAdrg(c20, otherGender).code !== spec.adrg) continue;
      fits = true;
      if (p) okProcs.add(p);
      const r11 = groupAdrg(c11, rec);
      adrg11[p ? `${d}|${p}` : d] = r11.status === 'SUCCESS' ? r11.code : r11.status;
    }
    if (fits) principals.push({ code: d, name: dxNames[d]! });
  }
  for (const p of pxPool) if (okProcs.has(p) && procedures.length < 8) procedures.push({ code: p, name: pxNames[p]! });
  // Every (principal, procedure) combination must group; drop principals that need other procedures.
  const keptPrincipals = spec.px
    ? principals.filter((d) => procedures.every((p) => groupAdrg(c20, { gender: spec.sex ?? '1', ageYears: age, ageDays: 0, weightGrams: 0, diagnoses: requiredSecondary ? [d.code, requiredSecondary] : [d.code], procedures: [p.code] }).code === spec.adrg))
    : principals;
  if (keptPrincipals.length === 0 || (spec.px && procedures.length === 0)) throw new Error(`template ${spec.adrg}: no code combination groups into the ADRG`);
  const { dx: _dx, px: _px, ...rest } = spec;
  templates.push({ ...rest, id: `${spec.adrg}-${i}`, mdc: adrg.mdc, name: adrg.name, adrg11, principals: keptPrincipals, procedures, requiredSecondary: requiredSecondary ? { code: requiredSecondary, name: dxNames[requiredSecondary] ?? requiredSecondary } : null });
}

// Secondary diagnoses: plain comorbidities (not CC/MCC) and CC/MCC codes whose evidence we know.
function firstCode(prefix: string, pred: (c: string) => boolean): string | undefined {
  return Object.keys(dxNames).filter((c) => c.startsWith(prefix) && plainCode(c) && !isExtension(c) && pred(c)).sort()[0];
}
const isCcOrMcc = (c: string): boolean => c in cc || c in mcc;
const comorbidities = ['I10', 'E11.9', 'E78.5', 'I25.1', 'K21.9', 'M81.9', 'E03.9', 'K76.0', 'N40', 'H25.9', 'J30.4', 'E66.9']
  .map((p) => firstCode(p, (c) => !isCcOrMcc(c) && !dxSex(c)) ?? (p === 'N40' ? firstCode(p, (c) => !isCcOrMcc(c)) : undefined))
  .filter((c): c is string => !!c)
  .map((c) => ({ code: c, name: dxNames[c]!, sex: dxSex(c) }));
const evidence = JSON.parse(readFileSync(join(KNOWLEDGE, 'diagnosis-evidence.json'), 'utf8')) as { entries: { diagnosisPrefix: string }[] };
const ccSecondaries: { code: string; name: string; level: 'cc' | 'mcc'; evidencePrefix: string | null }[] = [];
for (const e of evidence.entries) {
  const found = Object.keys(dxNames).filter((c) => c.startsWith(e.diagnosisPrefix) && plainCode(c) && isCcOrMcc(c)).sort().slice(0, 3);
  if (found.length === 0) throw new Error(`evidence prefix ${e.diagnosisPrefix} has no CC/MCC code`);
  for (const c of found) ccSecondaries.push({ code: c, name: dxNames[c]!, level: c in mcc ? 'mcc' : 'cc', evidencePrefix: e.diagnosisPrefix });
}
for (const p of ['D64', 'J90', 'E43', 'I48', 'J18']) {
  const found = Object.keys(dxNames).filter((c) => c.startsWith(p) && plainCode(c) && isCcOrMcc(c)).sort().slice(0, 2);
  for (const c of found) ccSecondaries.push({ code: c, name: dxNames[c]!, level: c in mcc ? 'mcc' : 'cc', evidencePrefix: null });
}

// Outpatient and online visit templates: [principal prefix, dept codes, drugs, services, sex?, ages, weight, benefit?]
interface VisitSpec { dx: string; dept: string[]; drugs: string[]; services: string[]; sex?: '1' | '2'; age: [number, number]; weight: number; benefit?: string; online?: boolean; kind?: 'child' }
const V: VisitSpec[] = [
  { dx: 'J00', dept: ['A03.01', 'A03', 'A02'], drugs: ['MFD0017', 'MFD0019', 'MFD0039'], services: [], age: [15, 85], weight: 10 },
  { dx: 'J00', dept: ['A07', 'A02'], drugs: ['XN02BEX085N001010100269', 'XN02BEX097A001010105889', 'XM01AEX094D001010101792'], services: [], age: [1, 12], weight: 6, kind: 'child' },
  { dx: 'J06.9', dept: ['A03.01', 'A03', 'A02'], drugs: ['MFD0001', 'MFD0017', 'MFD0021'], services: ['MFS0022'], age: [15, 85], weight: 8 },
  { dx: 'J20.9', dept: ['A03.01', 'A03', 'A02'], drugs: ['MFD0001', 'MFD0021', 'MFD0019'], services: ['MFS0022', 'MFS0028'], age: [15, 90], weight: 5 },
  { dx: 'I10', dept: ['A03.04', 'A03', 'A02'], drugs: ['MFD0014', 'MFD0033', 'MFD0040'], services: ['MFS0026'], age: [35, 95], weight: 8, benefit: 'chronic-special' },
  { dx: 'E11.9', dept: ['A03.07', 'A03', 'A02'], drugs: ['MFD0015', 'MFD0037', 'MFD0016'], services: ['MFS0025'], age: [30, 95], weight: 6, benefit: 'chronic-special' },
  { dx: 'K29.7', dept: ['A03.02', 'A03', 'A02'], drugs: ['MFD0038', 'MFD0029'], services: [], age: [18, 90], weight: 5 },
  { dx: 'K21.9', dept: ['A03.02', 'A03', 'A02'], drugs: ['MFD0038'], services: [], age: [18, 90], weight: 3 },
  { dx: 'M54.5', dept: ['A04.03', 'A04', 'A02'], drugs: ['MFD0020'], services: [], age: [25, 90], weight: 5 },
  { dx: 'I25.1', dept: ['A03.04', 'A03'], drugs: ['MFD0012', 'MFD0013', 'MFD0034'], services: ['MFS0026'], age: [45, 95], weight: 4, benefit: 'chronic-special' },
  { dx: 'L30.9', dept: ['A13', 'A02'], drugs: ['MFD0039'], services: [], age: [5, 90], weight: 3 },
  { dx: 'N76.0', dept: ['A05.01', 'A05'], drugs: ['XG01AFK079A008010100225'], services: ['002501040140000'], sex: '2', age: [18, 60], weight: 3 },
  { dx: 'N41.1', dept: ['A04.04', 'A04'], drugs: ['MFD0003', 'XG04CXP102A001020101575'], services: ['002501040130000'], sex: '1', age: [20, 70], weight: 2 },
  { dx: 'N40', dept: ['A04.04', 'A04'], drugs: ['XG04CXP102A001020101575'], services: [], sex: '1', age: [55, 90], weight: 2 },
  { dx: 'Z34.9', dept: ['A05.02', 'A05'], drugs: [], services: ['003112010230000', '003112010260000'], sex: '2', age: [20, 42], weight: 3, benefit: 'maternity' },
  { dx: 'R51', dept: ['A03.03', 'A03', 'A02'], drugs: ['MFD0017'], services: [], age: [15, 80], weight: 2 },
  { dx: 'I10', dept: ['A03', 'A02'], drugs: ['MFD0014', 'MFD0033'], services: [], age: [35, 95], weight: 6, online: true },
  { dx: 'E11.9', dept: ['A03', 'A02'], drugs: ['MFD0015', 'MFD0037'], services: [], age: [30, 95], weight: 4, online: true },
  { dx: 'E78.5', dept: ['A03', 'A02'], drugs: ['MFD0013'], services: [], age: [35, 95], weight: 3, online: true },
  { dx: 'K21.9', dept: ['A03', 'A02'], drugs: ['MFD0038'], services: [], age: [18, 90], weight: 2, online: true },
];
const visits = V.map((v, i) => {
  const code = firstCode(v.dx, () => true) ?? (dxNames[v.dx] ? v.dx : undefined);
  if (!code) throw new Error(`visit template: no diagnosis code for ${v.dx}`);
  const s = dxSex(code);
  if (s && v.sex !== s) throw new Error(`visit template ${v.dx}: diagnosis is sex-specific (${s})`);
  return { ...v, id: `V${i}`, principal: { code, name: dxNames[code]! } };
});

for (const t of templates) for (const c of [...t.drugs, ...(t.services ?? []), ...(t.implants ?? []).map((x) => x[0]), ...(t.surgeryItem ? [t.surgeryItem] : [])]) {
  if (!codes.has(c)) throw new Error(`template ${t.id}: item ${c} not in catalog`);
}
for (const v of visits) for (const c of [...v.drugs, ...v.services]) if (!codes.has(c)) throw new Error(`visit ${v.id}: item ${c} not in catalog`);

// Codes for deliberately bad rows: one that is not in the insurance ICD-10 edition, one female-only.
const unknownDiagnosis = ['U99.999', 'U98.999', 'U97.999'].find((c) => !(c in dxNames));
const femaleOnlyDiagnosis = firstCode('O80', () => true);
if (!unknownDiagnosis || !femaleOnlyDiagnosis) throw new Error('no code for bad rows');
const badRowCodes = { unknownDiagnosis, femaleOnlyDiagnosis };

// ── write ──
mkdirSync(OUT, { recursive: true });
const meta = {
  version: '2025.1',
  effectiveFrom: '2023-01-01',
  effectiveTo: '2099-12-31',
  generatedBy: 'scripts/gen-synth-seed.ts',
  source: 'national codes and restrictions: nhsa-rules (NHSA knowledge points, see NOTICE); DRG lists: CHS-DRG 2.0 / 1.1 (OpenDRG, Apache-2.0); prices, classes and MF… items: synthetic (MedFund)',
};
writeFileSync(join(OUT, 'catalog.json'), `${JSON.stringify({ ...meta, items, duplicatePairs }, null, 1)}\n`);
writeFileSync(join(OUT, 'templates.json'), `${JSON.stringify({ ...meta, scheme: 'CHS-DRG 2.0', inpatient: templates, visits, comorbidities, ccSecondaries, badRowCodes }, null, 1)}\n`);
copyFileSync(join(REF, 'nhsa-rules/NOTICE'), join(OUT, 'NOTICE.nhsa-rules'));
copyFileSync(join(REF, 'chs-drg-2.0/NOTICE'), join(OUT, 'NOTICE.chs-drg-2.0'));
copyFileSync(join(REF, 'chs-drg-1.1/NOTICE'), join(OUT, 'NOTICE.chs-drg-1.1'));
process.stdout.write(
  `data/synth: ${items.length} catalog items (${items.filter((i) => i.origin === 'nhsa').length} national), ${duplicatePairs.length} duplicate pairs, ` +
    `${templates.length} inpatient templates (${templates.reduce((s, t) => s + t.principals.length, 0)} principal codes), ${visits.length} visit templates, ` +
    `${comorbidities.length} comorbidities, ${ccSecondaries.length} CC/MCC secondaries\n`,
);
