/**
 * compileRules: rule library + knowledge + region catalog → an immutable plan. Every lookup the hot
 * path needs (code → item index, item → rule hits, ATC / name classes, code mappings) is built here
 * once per library version, so evaluation is array reads over columns.
 */
import { CHARGE_CATEGORIES, ENCOUNTER_KINDS, INSTITUTION_LEVELS, SCHEMES, MedfundError, issue } from '../domain/index.js';
import type { CatalogItem, IrregularityType } from '../domain/index.js';
import { RULE_KINDS } from './types.js';
import type { AuditAction, AuditMode, RegionKnowledge, ResultType, RuleDef, RuleKind, RuleLibrary, NationalClass } from './types.js';

/** Item class bits (费用分类) used by share, phantom-stay and antibiotic rules. */
export const BIT = {
  drug: 1,
  consumable: 2,
  service: 4,
  facility: 8,
  exam: 16, // 检查检验
  ct: 32,
  mri: 64,
  treatment: 128, // 治疗
  surgery: 256, // 手术
  antibacterial: 512, // 抗菌药物
  herb: 1024, // 中药饮片
} as const;

export interface PlanItem {
  readonly code: string;
  readonly name: string;
  /** index into CHARGE_CATEGORIES, -1 unknown */
  readonly category: number;
  readonly priceCapFen: number;
  readonly unit: string;
  /** ATC level-4 prefix read off a western-drug code (X + 5 ATC chars), else '' */
  readonly atc: string;
  readonly bits: number;
  readonly inCatalog: boolean;
}

export interface CompiledRule {
  readonly idx: number;
  readonly def: RuleDef;
  readonly id: string;
  readonly version: number;
  readonly kind: RuleKind;
  /** index of kind in RULE_KINDS (numeric switch in the hot path) */
  readonly kc: number;
  readonly type: IrregularityType | undefined;
  readonly action: AuditAction;
  readonly resultType: ResultType;
  readonly nationalClasses: number[];
  readonly kindMask: number;
  readonly levelMask: number;
  readonly schemeMask: number;
  readonly modeMask: number;
  /** kind-specific compiled parameters */
  readonly p: Record<string, any>;
}

/** A rule that applies to one item, with that item's constraint value. */
export interface ItemHit {
  readonly r: CompiledRule;
  readonly v: any;
}

export interface AuditPlan {
  readonly libraryVersion: string;
  readonly asOf: string;
  readonly rules: readonly CompiledRule[];
  readonly items: readonly PlanItem[];
  readonly codeIndex: ReadonlyMap<string, number>;
  /** itemHits[itemIdx]: rules keyed on that item (undefined for the many items without any) */
  readonly itemHits: readonly (readonly ItemHit[] | undefined)[];
  /** `${institutionId}\u0001${localCode}` → national code */
  readonly localMap: ReadonlyMap<string, string>;
  readonly titles: ReadonlyMap<string, string>;
  /** departmentId → 科别代码 */
  readonly departmentCodes: ReadonlyMap<string, string>;
  readonly nationalClasses: readonly NationalClass[];
  readonly knowledgePoints: number;
  /** rules by kind, for the encounter-level and cross-encounter passes */
  readonly byKind: ReadonlyMap<RuleKind, readonly CompiledRule[]>;
  readonly infectionPrefixes: readonly string[];
}

const MODE_BIT: Record<AuditMode, number> = { pre: 1, in: 2, post: 4 };
export const modeBit = (m: AuditMode): number => MODE_BIT[m];
export const kindBit = (k: string): number => 1 << ENCOUNTER_KINDS.indexOf(k as never);
export const levelBit = (l: string): number => 1 << INSTITUTION_LEVELS.indexOf(l as never);
export const schemeBit = (s: string): number => 1 << SCHEMES.indexOf(s as never);

const EXAM_CODE_PREFIXES = ['0021', '0022', '0023', '0025', '0026', '0027'];
const EXAM_NAME = /检查|检验|测定|CT|磁共振|MRI|MR|超声|彩超|B超|X线|摄影|造影|心电图|培养|镜检|病理|显象|显像|扫描|平扫|增强/;

function classify(code: string, name: string, category: number, antibacterialAtc: readonly string[]): { atc: string; bits: number } {
  let bits = 0;
  let atc = '';
  const cat = category >= 0 ? CHARGE_CATEGORIES[category] : undefined;
  if (cat === 'drug') bits |= BIT.drug;
  else if (cat === 'consumable') bits |= BIT.consumable;
  else if (cat === 'service') bits |= BIT.service;
  else if (cat === 'facility') bits |= BIT.facility;
  if (code.length === 23 && code[0] === 'X') {
    atc = code.slice(1, 6);
    if (antibacterialAtc.some((p) => atc.startsWith(p))) bits |= BIT.antibacterial;
  }
  if (code.length === 10 && code[0] === 'T') bits |= BIT.herb | BIT.drug;
  if (cat === 'service' || (cat === undefined && /^\d{15}$/.test(code))) {
    const national = /^\d{15}$/.test(code);
    const exam = national ? EXAM_CODE_PREFIXES.some((p) => code.startsWith(p)) : EXAM_NAME.test(name);
    if (exam) {
      bits |= BIT.exam;
      if (/CT|计算机体层/.test(name)) bits |= BIT.ct;
      if (/磁共振|MRI|MR/.test(name)) bits |= BIT.mri;
    } else bits |= BIT.treatment;
    if ((national && code.startsWith('0033')) || (!national && /术$|术\(|术（/.test(name))) bits |= BIT.surgery;
  }
  return { atc, bits };
}

function ruleActiveAt(def: RuleDef, asOf: string): boolean {
  return def.effectiveFrom <= asOf && asOf <= def.effectiveTo;
}

function nhsaSlug(k: string): string | undefined {
  return k.startsWith('nhsa:') ? k.slice(5) : undefined;
}

export interface CompileOptions {
  /** ISO date: the rule versions and knowledge in force on that day are compiled */
  asOf: string;
  region?: RegionKnowledge;
}

/**
 * Compile a rule library against a region's catalog. Throws MedfundError naming the rule and the
 * parameter when a rule refers to knowledge that is not loaded or has a bad parameter.
 */
export function compileRules(library: RuleLibrary, opts: CompileOptions): AuditPlan {
  const region = opts.region ?? { catalog: [], codeMappings: [] };
  const clinical = library.clinical;
  const items: PlanItem[] = [];
  const codeIndex = new Map<string, number>();
  const addItem = (code: string, name: string, category: number, cat?: CatalogItem): number => {
    const have = codeIndex.get(code);
    if (have !== undefined) return have;
    const { atc, bits } = classify(code, name, category, clinical.antibacterialAtc);
    const idx = items.length;
    items.push({ code, name, category, priceCapFen: cat?.priceCapFen ?? 0, unit: cat?.unit ?? '', atc, bits, inCatalog: cat !== undefined });
    codeIndex.set(code, idx);
    return idx;
  };
  const catalogByCode = new Map<string, CatalogItem>();
  for (const c of region.catalog) {
    // one row per code is the store's contract; if several versions come, keep the one in force at asOf
    const prev = catalogByCode.get(c.code);
    if (prev && !(c.effectiveFrom <= opts.asOf && opts.asOf <= c.effectiveTo)) continue;
    catalogByCode.set(c.code, c);
    addItem(c.code, c.name, CHARGE_CATEGORIES.indexOf(c.category), c);
  }
  // National knowledge codes join the item universe so a line billed under them is recognised even
  // when the region catalog lacks the code.
  let knowledgePoints = 0;
  for (const file of Object.values(library.nhsa)) {
    knowledgePoints += file.rows.length;
    const cat = CHARGE_CATEGORIES.indexOf(file.itemKind === 'service' ? 'service' : 'drug');
    for (const row of file.rows) for (const code of row.codes) addItem(code, row.itemName, cat);
  }
  for (const e of library.examIndications?.entries ?? []) addItem(e.itemCode, e.nameZh, CHARGE_CATEGORIES.indexOf('service'));

  const hits: ItemHit[][] = new Array(items.length);
  const addHit = (itemIdx: number, r: CompiledRule, v: unknown): void => {
    const list = (hits[itemIdx] ??= []);
    // one hit per (item, rule) except where several constraints of one rule can meet on an item
    if (r.kind !== 'item-pair' && r.kind !== 'item-companion' && r.kind !== 'unbundling' && list.some((h) => h.r === r)) return;
    list.push({ r, v });
  };
  const byName = (keyword: string, filter?: (it: PlanItem) => boolean): number[] => {
    const out: number[] = [];
    for (let i = 0; i < items.length; i++) if (items[i]!.name.includes(keyword) && (!filter || filter(items[i]!))) out.push(i);
    return out;
  };
  const bad = (def: RuleDef, path: string, msg: string): never => {
    throw new MedfundError([issue('bad-rule', `rules[${def.id}].${path}`, msg)]);
  };
  const catFilter = (def: RuleDef): ((it: PlanItem) => boolean) => {
    const cats = (def.params['categories'] as string[] | undefined)?.map((c) => CHARGE_CATEGORIES.indexOf(c as never));
    return (it) => !cats || cats.includes(it.category);
  };
  const nhsaRows = (def: RuleDef) => {
    const out: { slug: string; rows: RuleLibrary['nhsa'][string]['rows'] }[] = [];
    for (const k of def.knowledge) {
      const slug = nhsaSlug(k);
      if (!slug) continue;
      const f = library.nhsa[slug];
      if (!f) bad(def, 'knowledge', `NHSA knowledge file "${slug}" is not loaded`);
      out.push({ slug, rows: f!.rows });
    }
    return out;
  };
  const usesCatalog = (def: RuleDef) => def.knowledge.includes('catalog');

  const rules: CompiledRule[] = [];
  const byKind = new Map<RuleKind, CompiledRule[]>();
  const populationAges = (def: RuleDef) => (def.params['populationAges'] ?? {}) as Record<string, { minAgeYears?: number; maxAgeYears?: number; maxAgeDays?: number }>;

  for (const def of library.rules.rules) {
    if (!ruleActiveAt(def, opts.asOf)) continue;
    const r: CompiledRule = {
      idx: rules.length,
      def,
      id: def.id,
      version: def.version,
      kind: def.kind,
      kc: RULE_KINDS.indexOf(def.kind),
      type: def.irregularityType,
      action: def.action,
      resultType: def.resultType,
      nationalClasses: [...def.nationalClasses],
      kindMask: def.scope.encounterKinds.reduce((m, k) => m | kindBit(k), 0),
      levelMask: def.scope.institutionLevels.reduce((m, l) => m | levelBit(l), 0),
      schemeMask: def.scope.schemes.reduce((m, s) => m | schemeBit(s), 0),
      modeMask: def.modes.reduce((m, x) => m | MODE_BIT[x], 0),
      p: { ...def.params },
    };
    rules.push(r);
    const list = byKind.get(def.kind) ?? [];
    list.push(r);
    byKind.set(def.kind, list);
    const filter = catFilter(def);
    const eachCatalog = (fn: (idx: number, c: CatalogItem) => void) => {
      if (!usesCatalog(def)) return;
      for (const c of catalogByCode.values()) {
        const idx = codeIndex.get(c.code)!;
        if (filter(items[idx]!)) fn(idx, c);
      }
    };
    const eachNhsa = (fn: (idx: number, params: Record<string, unknown>, rowId: string, row: RuleLibrary['nhsa'][string]['rows'][number]) => void) => {
      for (const { rows } of nhsaRows(def)) for (const row of rows) for (const code of row.codes) fn(codeIndex.get(code)!, row.params, row.id, row);
    };

    switch (def.kind) {
      case 'item-sex':
        eachCatalog((i, c) => c.restrictions.sex && addHit(i, r, { sex: c.restrictions.sex, src: 'catalog' }));
        eachNhsa((i, p, id) => {
          const s = p['sex'];
          if (s !== 'M' && s !== 'F') bad(def, 'knowledge', `knowledge point ${id}: sex "${String(s)}" is not M/F`);
          addHit(i, r, { sex: s === 'M' ? '1' : '2', src: id });
        });
        break;
      case 'item-age': {
        const ages = populationAges(def);
        // optional narrowing, e.g. 限新生儿 = catalog items whose upper age bound is 0
        const atMost = r.p['catalogMaxAgeAtMost'] as number | undefined;
        eachCatalog((i, c) => {
          const { minAgeYears, maxAgeYears } = c.restrictions;
          if (atMost !== undefined && !(maxAgeYears !== undefined && maxAgeYears <= atMost)) return;
          if (minAgeYears !== undefined || maxAgeYears !== undefined) addHit(i, r, { minAgeYears, maxAgeYears, src: 'catalog' });
        });
        eachNhsa((i, p, id) => {
          const pop = String(p['population']);
          const a = ages[pop];
          if (!a) bad(def, 'params.populationAges', `no age bounds for population "${pop}" (knowledge point ${id})`);
          addHit(i, r, { ...a, population: pop, src: id });
        });
        break;
      }
      case 'item-institution-level':
        eachCatalog((i, c) => c.restrictions.minInstitutionLevel && addHit(i, r, { minLevel: Number(c.restrictions.minInstitutionLevel), src: 'catalog' }));
        eachNhsa((i, p, id) => {
          let min = p['minHospitalLevel'] as number | undefined;
          const any = p['minHospitalLevelAnyOf'] as { minLevel: number }[] | undefined;
          if (any) min = Math.min(...any.map((a) => a.minLevel)); // the lowest route the text allows
          if (!min) bad(def, 'knowledge', `knowledge point ${id} has no minimum level`);
          addHit(i, r, { minLevel: min, src: id });
        });
        break;
      case 'item-indication': {
        eachCatalog((i, c) => c.restrictions.indicationPrefixes?.length && addHit(i, r, { prefixes: c.restrictions.indicationPrefixes, src: 'catalog' }));
        // NHSA indication texts are free text: map known disease keywords to ICD-10 prefixes
        // (clinical.indicationKeywords); a point whose text names no mapped disease is not evaluated.
        const field = String(r.p['textField'] ?? 'indicationText');
        eachNhsa((i, p, id, row) => {
          const text = String((field === 'basisText' ? row.basisText : p[field]) ?? '');
          const prefixes = new Set<string>();
          for (const k of clinical.indicationKeywords) if (text.includes(k.keyword)) k.diagnosisPrefixes.forEach((x) => prefixes.add(x));
          if (prefixes.size > 0) addHit(i, r, { prefixes: [...prefixes], src: id });
        });
        break;
      }
      case 'item-benefit-type':
        eachCatalog((i, c) => c.restrictions.benefitTypes?.length && addHit(i, r, { benefitTypes: c.restrictions.benefitTypes, src: 'catalog' }));
        eachNhsa((i, p, id) => addHit(i, r, { benefitTypes: [String(p['insurance'])], src: id }));
        break;
      case 'item-visit-type': {
        eachNhsa((i, p, id) => addHit(i, r, { visitTypes: p['visitTypes'] as string[], src: id }));
        const byNameMap = (r.p['nameVisitTypes'] ?? {}) as Record<string, string[]>;
        for (const [kw, vt] of Object.entries(byNameMap)) for (const i of byName(kw, filter)) addHit(i, r, { visitTypes: vt, src: `name:${kw}` });
        break;
      }
      case 'item-online-scope':
        eachNhsa((i, _p, id) => addHit(i, r, { src: id }));
        break;
      case 'item-not-payable':
        eachNhsa((i, p, id) => addHit(i, r, { mode: p['notPayable'], src: id }));
        break;
      case 'item-price-cap':
        eachCatalog((i, c) => c.priceCapFen > 0 && addHit(i, r, { capFen: c.priceCapFen }));
        break;
      case 'item-daily-quantity':
        eachCatalog((i, c) => c.restrictions.maxQuantityPerDay !== undefined && addHit(i, r, { max: c.restrictions.maxQuantityPerDay, src: 'catalog' }));
        eachNhsa((i, p, id) => {
          const unit = String(p['pricingUnit'] ?? '');
          // hourly items: the published limit is 24 (hours) per day
          addHit(i, r, { max: Number(p['maxQuantity']), unit, src: id });
        });
        break;
      case 'item-stay-quantity': {
        const units = (r.p['perDayUnits'] ?? ['日', '天', '床日']) as string[];
        eachCatalog((i, c) => units.includes(c.unit) && addHit(i, r, { unit: c.unit, src: 'catalog' }));
        eachNhsa((i, p, id) => units.includes(String(p['pricingUnit'])) && !hits[i]?.some((h) => h.r === r) && addHit(i, r, { unit: p['pricingUnit'], src: id }));
        break;
      }
      case 'item-course-days':
        eachNhsa((i, p, id) => {
          const maxDays = p['maxDays'] !== undefined ? Number(p['maxDays']) : p['maxMonths'] !== undefined ? Number(p['maxMonths']) * 30 : p['maxYears'] !== undefined ? Number(p['maxYears']) * 365 : NaN;
          if (!Number.isFinite(maxDays)) bad(def, 'knowledge', `knowledge point ${id} has no course length`);
          addHit(i, r, { maxDays, counting: p['counting'] ?? 'distinct-days', src: id });
        });
        break;
      case 'item-period-frequency':
        eachNhsa((i, p, id) => addHit(i, r, { maxTimes: Number(p['maxTimes']), periodDays: Number(p['periodDays']), src: id }));
        break;
      case 'item-pair': {
        // pairs: [{a: itemIdx[], b: itemIdx[], window, src}] ; per item: roles
        const pairs: { a: Set<number>; b: Set<number>; window: string; src: string; nameZh: string }[] = [];
        eachNhsa((i, p, id, row) => {
          const bCode = String(p['pairedItemCode']);
          const b = codeIndex.get(bCode) ?? addItem(bCode, String(p['pairedItemName'] ?? ''), CHARGE_CATEGORIES.indexOf('service'));
          pairs.push({ a: new Set([i]), b: new Set([b]), window: String(p['window']), src: id, nameZh: `${row.itemName}/${String(p['pairedItemName'])}` });
        });
        const table = r.p['table'] as string | undefined;
        if (table === 'atc-interactions') {
          for (const x of clinical.atcInteractions) {
            const a = new Set<number>(), b = new Set<number>();
            items.forEach((it, i) => {
              if (!it.atc) return;
              if (it.atc.startsWith(x.a)) a.add(i);
              if (it.atc.startsWith(x.b)) b.add(i);
            });
            if (a.size && b.size) pairs.push({ a, b, window: String(r.p['window'] ?? 'same-visit'), src: `clinical:${x.a}+${x.b}`, nameZh: x.nameZh });
          }
        } else if (table === 'herb-incompatibilities') {
          for (const x of clinical.herbIncompatibilities) {
            const a = new Set<number>(), b = new Set<number>();
            items.forEach((it, i) => {
              if (!(it.bits & BIT.herb)) return;
              if (x.a.some((k) => it.name.includes(k))) a.add(i);
              if (x.b.some((k) => it.name.includes(k))) b.add(i);
            });
            if (a.size && b.size) pairs.push({ a, b, window: String(r.p['window'] ?? 'same-day'), src: `clinical:${x.nameZh}`, nameZh: x.nameZh });
          }
        }
        pairs.forEach((pr, k) => {
          for (const i of pr.a) addHit(i, r, { pair: k, role: 'a' });
          for (const i of pr.b) addHit(i, r, { pair: k, role: 'b' });
        });
        (r.p as Record<string, unknown>)['pairs'] = pairs.map((x) => ({ window: x.window, src: x.src, nameZh: x.nameZh }));
        break;
      }
      case 'item-companion': {
        const table = String(r.p['table']);
        const companions: { need: string[]; reason: string }[] = [];
        for (const c of clinical.companions.filter((x) => x.table === table)) {
          const k = companions.length;
          companions.push({ need: c.requiresAnyNameKeyword, reason: c.reason });
          for (const i of byName(c.nameKeyword, filter)) addHit(i, r, { companion: k });
        }
        (r.p as Record<string, unknown>)['companions'] = companions;
        break;
      }
      case 'item-department': {
        // 限科室: a hit carries the allowed 科别代码 prefixes; the line's ordering department decides
        const table = String(r.p['table']);
        const cat = CHARGE_CATEGORIES.indexOf(table as never);
        for (const x of clinical.departmentRestrictions.filter((d) => d.table === table)) {
          const v = { deptPrefixes: x.deptPrefixes, nameZh: x.nameZh, basis: x.basis };
          items.forEach((it, i) => {
            if (it.category !== cat) return;
            // a keyword "冠脉&支架" needs every part in the name (product names vary in word order)
            if (x.codePrefixes.some((p) => it.code.startsWith(p)) || x.nameKeywords.some((k) => k.split('&').every((part) => it.name.includes(part)))) addHit(i, r, v);
          });
        }
        break;
      }
      case 'unbundling': {
        // 分解收费: per package, its items play one of three roles; the evaluator groups them by day
        const packages = clinical.unbundlingPackages;
        const serviceCat = CHARGE_CATEGORIES.indexOf('service');
        packages.forEach((x, k) => {
          const role = new Map<number, 'package' | 'component' | 'context'>();
          for (const c of x.packageCodes) role.set(codeIndex.get(c) ?? addItem(c, x.nameZh, serviceCat), 'package');
          for (const c of x.componentCodes) {
            const i = codeIndex.get(c) ?? addItem(c, c, serviceCat);
            if (!role.has(i)) role.set(i, 'component');
          }
          items.forEach((it, i) => {
            if (role.has(i) || x.contextExcludeCodes.includes(it.code)) return;
            if (x.contextPrefixes.some((p) => it.code.startsWith(p))) role.set(i, 'context');
          });
          for (const [i, rl] of role) addHit(i, r, { pkg: k, role: rl });
        });
        (r.p as Record<string, unknown>)['packages'] = packages.map((x) => ({ nameZh: x.nameZh, basis: x.basis }));
        break;
      }
      case 'surgery-discount':
        eachNhsa((i, p, id) => addHit(i, r, { group: String(p['surgeryGroup']), src: id }));
        break;
      case 'drug-atc-age': {
        const table = String(r.p['table']);
        for (const x of clinical.atcAgeLimits.filter((a) => a.table === table))
          items.forEach((it, i) => it.atc.startsWith(x.atcPrefix) && it.atc !== '' && addHit(i, r, { minAgeYears: x.minAgeYears, maxAgeYears: x.maxAgeYears, reason: x.reason, nameZh: x.nameZh }));
        break;
      }
      case 'drug-atc-diagnosis': {
        const table = String(r.p['table']);
        for (const x of clinical.atcDiagnosisContraindications.filter((a) => a.table === table))
          items.forEach((it, i) => it.atc !== '' && it.atc.startsWith(x.atcPrefix) && addHit(i, r, { prefixes: x.diagnosisPrefixes, reason: x.reason, nameZh: x.nameZh }));
        break;
      }
      case 'antibiotic-tier':
        for (const x of clinical.restrictedAntibacterials) items.forEach((it, i) => it.atc !== '' && it.atc.startsWith(x.atcPrefix) && addHit(i, r, { nameZh: x.nameZh }));
        (r.p as Record<string, unknown>)['allowedTitles'] = clinical.restrictedAntibacterialTitles;
        break;
      case 'drug-second-line':
        eachNhsa((i, _p, id) => addHit(i, r, { src: id }));
        break;
      case 'drug-oversupply':
        eachCatalog((i, c) => c.restrictions.maxQuantityPerDay !== undefined && addHit(i, r, { maxPerDay: c.restrictions.maxQuantityPerDay }));
        break;
      case 'exam-indication':
        for (const e of library.examIndications?.entries ?? []) addHit(codeIndex.get(e.itemCode)!, r, { prefixes: e.indicationPrefixes, nameZh: e.nameZh });
        break;
      case 'service-contraindication':
        for (const x of clinical.serviceContraindications) for (const i of byName(x.nameKeyword, (it) => !!(it.bits & BIT.service))) addHit(i, r, { prefixes: x.diagnosisPrefixes, reason: x.reason });
        break;
      case 'diagnosis-evidence': {
        const entries = library.diagnosisEvidence?.entries ?? [];
        (r.p as Record<string, unknown>)['entries'] = entries.map((e) => ({ prefix: e.diagnosisPrefix, nameZh: e.nameZh, codes: new Set(e.evidenceItemCodes), keywords: e.evidenceNameKeywords }));
        break;
      }
      case 'diagnosis-sex':
        (r.p as Record<string, unknown>)['table'] = clinical.diagnosisSex;
        break;
      case 'diagnosis-age':
        (r.p as Record<string, unknown>)['table'] = clinical.diagnosisAge;
        break;
      case 'procedure-sex':
        (r.p as Record<string, unknown>)['table'] = clinical.procedureSex;
        break;
      case 'diagnosis-procedure':
        (r.p as Record<string, unknown>)['table'] = clinical.procedureDiagnosis;
        break;
      case 'procedure-code': {
        const pattern = String(r.p['pattern'] ?? '^\\d{2}(\\.[0-9x]{1,4}(x\\d{3})?)?$');
        try {
          (r.p as Record<string, unknown>)['re'] = new RegExp(pattern);
        } catch {
          bad(def, 'params.pattern', `"${pattern}" is not a valid regular expression`);
        }
        break;
      }
      default:
        break; // encounter-level and cross-encounter kinds read r.p directly
    }
  }

  const localMap = new Map<string, string>();
  for (const m of region.codeMappings) localMap.set(`${m.institutionId}\u0001${m.localCode}`, m.nationalCode);

  return Object.freeze({
    libraryVersion: library.rules.version,
    asOf: opts.asOf,
    rules,
    items,
    codeIndex,
    itemHits: hits,
    localMap,
    titles: region.practitionerTitles ?? new Map(),
    departmentCodes: region.departmentCodes ?? new Map(),
    nationalClasses: library.nationalClasses,
    knowledgePoints,
    byKind,
    infectionPrefixes: clinical.infectionDiagnosisPrefixes,
  });
}

/** National classes implemented by the plan's rules (distinct seq numbers). */
export function implementedClasses(plan: AuditPlan): number[] {
  const s = new Set<number>();
  for (const r of plan.rules) for (const c of r.nationalClasses) s.add(c);
  return [...s].sort((a, b) => a - b);
}
