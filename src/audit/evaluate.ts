/**
 * The per-encounter evaluator shared by the three modes. One pass over an encounter's lines runs
 * every item rule (looked up by item index) and gathers the features the encounter-level rules need;
 * grouped rules (per item-day, pairs, courses) run on the few lines that collected hits.
 */
import { roundFen } from '../domain/index.js';
import type { IrregularityType } from '../domain/index.js';
import { BIT, kindBit, levelBit, modeBit, schemeBit } from './compile.js';
import type { AuditPlan, CompiledRule, ItemHit } from './compile.js';
import { dayNumber, dayToIso } from './columns.js';
import type { LineColumns } from './columns.js';
import { RULE_KINDS } from './types.js';
import type { AuditEncounter, AuditMode, Violation } from './types.js';

const CAT_BITS = [BIT.drug, BIT.consumable, BIT.service, BIT.facility];
const K = Object.fromEntries(RULE_KINDS.map((k, i) => [k, i])) as Record<(typeof RULE_KINDS)[number], number>;

const startsAny = (s: string, prefixes: readonly string[]): boolean => {
  for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
};
const anyDiagnosis = (dx: readonly string[], prefixes: readonly string[]): boolean => {
  for (const d of dx) if (startsAny(d, prefixes)) return true;
  return false;
};

// templates split once into literal text (even positions) and placeholder names (odd positions)
const templateParts = new Map<string, string[]>();

/** Fill `{name}` placeholders of a template from evidence (a missing value leaves `{name}`). */
export function renderMessage(template: string, evidence: Record<string, unknown>): string {
  let parts = templateParts.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    if (templateParts.size > 10_000) templateParts.clear();
    templateParts.set(template, parts);
  }
  let out = parts[0]!;
  for (let k = 1; k < parts.length; k += 2) {
    const v = evidence[parts[k]!];
    out += (v === undefined ? `{${parts[k]}}` : Array.isArray(v) ? v.join('、') : String(v)) + parts[k + 1]!;
  }
  return out;
}

interface Pending {
  r: CompiledRule;
  lines: number[];
  amountFen: number;
  evidence: Record<string, unknown>;
}

/** Features of one encounter gathered during the line pass. */
interface Features {
  totalFen: number;
  bucketFen: Record<'drug' | 'consumable' | 'exam' | 'treatment' | 'ct' | 'mri', number>;
  abx: number[];
  drugs: number[];
  herbs: number[];
  hasProcedureLine: boolean;
  /** day numbers of admission and discharge (the batch keeps them: no second date parse) */
  admitDay: number;
  dischargeDay: number;
}

/**
 * A rule's violation at an encounter: the rule's attributes, where it happened, the lines and amount
 * at stake, the message rendered from `evidence`, and the evidence to keep (`kept`, default the same).
 * Used by the rules that span encounters (batch and stream); amounts are rounded half-up here.
 */
export function violationOf(
  r: CompiledRule,
  at: { encounterId: string; institutionId: string; departmentId: string; doctorId: string },
  lineIds: string[],
  amountFen: number,
  evidence: Record<string, unknown>,
  kept: Record<string, unknown> = evidence,
): Violation {
  return violationFields(r, at.encounterId, at.institutionId, at.departmentId, at.doctorId, lineIds, roundFen(amountFen), renderMessage(r.def.evidenceTemplate, evidence), kept);
}

/**
 * A violation's object, `type` only when the rule detects an irregularity type. Two plain literals
 * instead of a spread (hot path): the same keys in the same order either way, which the parallel
 * driver's wire format relies on (batch-worker.ts).
 */
function violationFields(
  r: CompiledRule,
  encounterId: string,
  institutionId: string,
  departmentId: string,
  doctorId: string,
  lineIds: string[],
  amountFen: number,
  message: string,
  evidence: Record<string, unknown>,
): Violation {
  return r.type
    ? { ruleId: r.id, ruleVersion: r.version, kind: r.kind, nationalClasses: r.nationalClasses, type: r.type as IrregularityType, resultType: r.resultType, action: r.action, encounterId, institutionId, departmentId, doctorId, lineIds, amountFen, message, evidence }
    : { ruleId: r.id, ruleVersion: r.version, kind: r.kind, nationalClasses: r.nationalClasses, resultType: r.resultType, action: r.action, encounterId, institutionId, departmentId, doctorId, lineIds, amountFen, message, evidence };
}

export interface EncounterAuditor {
  /** Audit lines [from, to) of `cols`, all belonging to `ctx`. Violations are appended to `out`. */
  audit(ctx: AuditEncounter, cols: LineColumns, from: number, to: number, out: Violation[]): Features;
}

/** Create an evaluator for one mode; it keeps scratch buffers, so use one per thread of work. */
export function createEncounterAuditor(plan: AuditPlan, mode: AuditMode): EncounterAuditor {
  const nRules = plan.rules.length;
  const active = new Uint8Array(nRules);
  const mb = modeBit(mode);
  // pending violations by rule index, and in order of first hit (a Map per encounter would allocate on clear)
  const pendingOf: (Pending | undefined)[] = new Array<Pending | undefined>(nRules).fill(undefined);
  const touched: Pending[] = [];
  const posOf: (number[] | undefined)[] = new Array<number[] | undefined>(nRules).fill(undefined);
  const ruleOrder: number[] = [];
  const defHits: ItemHit[] = [];
  const defLines: number[] = [];
  const items = plan.items;
  const hitsByItem = plan.itemHits;
  const encRules = (k: string): CompiledRule[] => (plan.byKind.get(k as never) ?? []).filter((r) => r.modeMask & mb) as CompiledRule[];
  const R = {
    outside: encRules('charge-outside-stay'),
    subst: encRules('drug-substitution'),
    lineData: encRules('line-data'),
    phantom: encRules('phantom-stay'),
    evidence: encRules('diagnosis-evidence'),
    dxSex: encRules('diagnosis-sex'),
    dxAge: encRules('diagnosis-age'),
    procSex: encRules('procedure-sex'),
    procCode: encRules('procedure-code'),
    dxProc: encRules('diagnosis-procedure'),
    list: encRules('settlement-list'),
    share: encRules('cost-share'),
    low: encRules('low-standard-admission'),
    kinds: encRules('drug-kinds'),
    dup: encRules('drug-duplication'),
    abxNoInd: encRules('antibiotic-without-indication'),
    abxPeri: encRules('antibiotic-perioperative'),
    herb: encRules('herb-prescription'),
  };
  const hasCatalog = items.some((x) => x.inCatalog);
  // the per-line reads of item attributes as flat arrays (no pointer chase to the item object)
  const itemBits = Int32Array.from(items, (x) => x.bits);
  const itemInCatalog = Uint8Array.from(items, (x) => (x.inCatalog ? 1 : 0));
  const itemCategory = Int32Array.from(items, (x) => x.category);
  // Applicability depends only on (encounter kind, institution level, scheme): cache per signature.
  type Lists = Record<keyof typeof R, CompiledRule[]>;
  const sigCache = new Map<number, { active: Uint8Array; lists: Lists }>();
  const signature = (kb: number, lb: number, sb: number) => {
    const key = kb | (lb << 4) | (sb << 8);
    let c = sigCache.get(key);
    if (!c) {
      const act = new Uint8Array(nRules);
      for (let k = 0; k < nRules; k++) {
        const r = plan.rules[k]!;
        act[k] = r.modeMask & mb && r.kindMask & kb && r.levelMask & lb && r.schemeMask & sb ? 1 : 0;
      }
      // the applicable rules of each encounter-level list, as fields (a property read, not a Map lookup per use)
      const lists = {} as Lists;
      for (const k of Object.keys(R) as (keyof typeof R)[]) lists[k] = R[k].filter((r) => act[r.idx]);
      sigCache.set(key, (c = { active: act, lists }));
    }
    return c;
  };
  // per-encounter scratch, reused (the auditor is single-threaded by contract)
  const f: Features = { totalFen: 0, bucketFen: { drug: 0, consumable: 0, exam: 0, treatment: 0, ct: 0, mri: 0 }, abx: [], drugs: [], herbs: [], hasProcedureLine: false, admitDay: 0, dischargeDay: 0 };
  const stampItem = new Int32Array(items.length + 1);
  const atcGroup = new Int32Array(items.length).fill(-1);
  {
    const groups = new Map<string, number>();
    items.forEach((it, i) => {
      if (it.atc === '') return;
      let g = groups.get(it.atc);
      if (g === undefined) groups.set(it.atc, (g = groups.size));
      atcGroup[i] = g;
    });
  }
  const stampGroup = new Int32Array(items.length + 1);
  const firstOfGroup = new Int32Array(items.length + 1);
  let serial = 0;
  let dayBuf = new Uint8Array(64);
  // table entries whose prefix a code starts with, memoised per rule (codes repeat across encounters)
  const tableMemo = new Map<CompiledRule, Map<string, readonly { prefix: string }[]>>();
  const NONE: readonly { prefix: string }[] = [];
  const evidenceMemo = new Map<CompiledRule, Map<string, unknown>>();
  const tableHits = (r: CompiledRule, code: string): readonly { prefix: string }[] => {
    let m = tableMemo.get(r);
    if (!m) tableMemo.set(r, (m = new Map()));
    let hit = m.get(code);
    if (hit === undefined) {
      const found = (r.p['table'] as { prefix: string }[]).filter((x) => code.startsWith(x.prefix));
      hit = found.length ? found : NONE;
      if (m.size > 200_000) m.clear();
      m.set(code, hit);
    }
    return hit;
  };

  let cols!: LineColumns;
  let ctxE!: AuditEncounter;

  const add = (r: CompiledRule, line: number, amountFen: number, evidence: () => Record<string, unknown>): void => {
    let p = pendingOf[r.idx];
    if (!p) {
      p = { r, lines: [], amountFen: 0, evidence: evidence() };
      pendingOf[r.idx] = p;
      touched.push(p);
    }
    if (line >= 0 && p.lines[p.lines.length - 1] !== line) p.lines.push(line);
    p.amountFen += amountFen;
  };

  const flush = (out: Violation[]): void => {
    const e = ctxE.encounter;
    for (let t = 0; t < touched.length; t++) {
      const p = touched[t]!;
      pendingOf[p.r.idx] = undefined;
      const first = p.lines[0];
      const lineIds = p.lines.map((i) => cols.id[i]!);
      const message = renderMessage(p.r.def.evidenceTemplate, p.evidence);
      // p.evidence is this pending entry's own object: complete it in place (same keys, same order as a copy)
      const evidence = p.evidence;
      evidence['lineCount'] = lineIds.length;
      evidence['ruleVersion'] = p.r.version;
      evidence['libraryVersion'] = plan.libraryVersion;
      const departmentId = first !== undefined ? cols.departmentId[first]! : e.departmentId;
      const doctorId = first !== undefined ? cols.doctorId[first]! : e.doctorId;
      out.push(violationFields(p.r, e.id, e.institutionId, departmentId, doctorId, lineIds, roundFen(p.amountFen), message, evidence));
    }
    touched.length = 0;
  };

  const itemName = (i: number): string => cols.itemName[i] || (cols.item[i]! >= 0 ? items[cols.item[i]!]!.name : cols.itemCode[i]!);

  function audit(ctx: AuditEncounter, c: LineColumns, from: number, to: number, out: Violation[]): Features {
    cols = c;
    ctxE = ctx;
    const e = ctx.encounter;
    const sig = signature(kindBit(e.kind), levelBit(ctx.institutionLevel), schemeBit(e.scheme));
    active.set(sig.active);
    const L = sig.lists;
    serial++;
    const admitDay = dayNumber(e.admitDate);
    const dischargeDay = dayNumber(e.dischargeDate);
    const dx = e.diagnoses;
    const level = Number(ctx.institutionLevel);
    const outside = L.outside, subst = L.subst, lineData = L.lineData;
    const phantom = e.kind === 'inpatient' ? L.phantom : [];
    const span = dischargeDay - admitDay + 1;
    let dayFlags: Uint8Array | undefined;
    if (phantom.length > 0 && span > 0 && span < 3660) {
      // one scratch buffer reused across stays; its first `span` days are this stay's
      if (dayBuf.length < span) dayBuf = new Uint8Array(Math.max(span, dayBuf.length * 2));
      dayBuf.fill(0, 0, span);
      dayFlags = dayBuf;
    }
    f.totalFen = 0;
    const bf = f.bucketFen;
    bf.drug = bf.consumable = bf.exam = bf.treatment = bf.ct = bf.mri = 0;
    f.abx.length = f.drugs.length = f.herbs.length = 0;
    f.hasProcedureLine = false;
    f.admitDay = admitDay;
    f.dischargeDay = dischargeDay;
    defHits.length = 0;
    defLines.length = 0;

    for (let i = from; i < to; i++) {
      const it = cols.item[i]!;
      const amount = cols.amountFen[i]!;
      const day = Math.floor(cols.tMin[i]! / 1440);
      const catBit = CAT_BITS[cols.category[i]!] ?? 0;
      // unknown codes: only the herbal-piece code shape (T + 9 digits) is recognisable without the catalog
      const own = it >= 0 ? itemBits[it]! : cols.itemCode[i]!.length === 10 && cols.itemCode[i]![0] === 'T' ? BIT.herb : 0;
      const bits = (own & ~(BIT.drug | BIT.consumable | BIT.service | BIT.facility)) | catBit;
      f.totalFen += amount;
      if (bits & BIT.drug) {
        f.bucketFen.drug += amount;
        f.drugs.push(i);
        if (bits & BIT.antibacterial) f.abx.push(i);
        if (bits & BIT.herb) f.herbs.push(i);
      } else if (bits & BIT.consumable) f.bucketFen.consumable += amount;
      else if (bits & BIT.exam) {
        f.bucketFen.exam += amount;
        if (bits & BIT.ct) f.bucketFen.ct += amount;
        if (bits & BIT.mri) f.bucketFen.mri += amount;
      } else if (bits & BIT.service) f.bucketFen.treatment += amount;
      if (bits & BIT.surgery) f.hasProcedureLine = true;
      if (dayFlags) {
        const o = day - admitDay;
        if (o >= 0 && o < span) dayFlags[o]! |= bits & BIT.facility ? 1 : 2;
      }
      if (outside.length > 0 && (day < admitDay || day > dischargeDay))
        for (const r of outside) add(r, i, amount, () => ({ chargedAt: cols.chargedAt[i], admitDate: e.admitDate, dischargeDate: e.dischargeDate }));
      if (subst.length > 0 && cols.mappedCode[i] !== '' && cols.mappedCode[i] !== cols.itemCode[i] && cols.category[i] === 0) {
        const mapped = plan.codeIndex.get(cols.mappedCode[i]!);
        const mappedCap = mapped !== undefined ? items[mapped]!.priceCapFen : 0;
        const billedCap = it >= 0 ? items[it]!.priceCapFen : 0;
        // the hospital dispensed the mapped drug and billed a dearer one; without prices for both, the mismatch itself is the evidence
        if (!(mappedCap > 0 && billedCap > 0 && billedCap <= mappedCap)) {
          const stake = mappedCap > 0 ? Math.max(0, amount - cols.quantity[i]! * Math.min(mappedCap, cols.unitPriceFen[i]!)) : amount;
          for (const r of subst) add(r, i, stake, () => ({ localCode: cols.localCode[i], mappedCode: cols.mappedCode[i], billedCode: cols.itemCode[i], itemName: itemName(i) }));
        }
      }
      if (lineData.length > 0) {
        // inline half-up (quantity and price are non-negative); same result as roundFen
        const expect = Math.floor(cols.quantity[i]! * cols.unitPriceFen[i]! + 0.5 + 1e-9);
        const unknown = hasCatalog && (it < 0 || !itemInCatalog[it]);
        const catMismatch = it >= 0 && itemInCatalog[it] === 1 && itemCategory[it] !== cols.category[i];
        if (expect !== amount || unknown || catMismatch)
          for (const r of lineData) add(r, i, Math.abs(amount - expect), () => ({ reason: expect !== amount ? `金额${amount}≠数量×单价${expect}` : unknown ? `编码${cols.itemCode[i]}不在目录` : '费用类别与目录不符' }));
      }
      if (it < 0) continue;
      const hits = hitsByItem[it];
      if (hits === undefined) continue;
      for (let h = 0; h < hits.length; h++) {
        const hit = hits[h]!;
        const r = hit.r;
        if (!active[r.idx]) continue;
        const v = hit.v;
        switch (r.kc) {
          case K['item-sex']:
            if (e.sex !== v.sex) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], allowedSex: v.sex === '1' ? '男' : '女', sex: e.sex === '1' ? '男' : '女', knowledge: v.src }));
            break;
          case K['item-age']: {
            const tooYoung = v.minAgeYears !== undefined && e.ageYears < v.minAgeYears;
            const tooOld =
              (v.maxAgeYears !== undefined && e.ageYears > v.maxAgeYears) ||
              (v.maxAgeDays !== undefined && (e.ageYears > 0 || e.ageDays > v.maxAgeDays));
            if (tooYoung || tooOld) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], ageYears: e.ageYears, population: v.population ?? `${v.minAgeYears ?? 0}–${v.maxAgeYears ?? '∞'}岁`, knowledge: v.src }));
            break;
          }
          case K['item-institution-level']:
            if (level < v.minLevel) add(r, i, amount, () => ({ itemName: itemName(i), level, minLevel: v.minLevel, knowledge: v.src }));
            break;
          case K['item-indication']:
          case K['exam-indication']:
            if (!anyDiagnosis(dx, v.prefixes)) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], diagnoses: dx.join('|'), indication: v.prefixes.slice(0, 8).join('|'), knowledge: v.src ?? 'exam-indications' }));
            break;
          case K['service-contraindication']:
          case K['drug-atc-diagnosis']:
            if (anyDiagnosis(dx, v.prefixes)) add(r, i, amount, () => ({ itemName: itemName(i), diagnoses: dx.join('|'), reason: v.reason }));
            break;
          case K['drug-atc-age']:
            if ((v.minAgeYears !== undefined && e.ageYears < v.minAgeYears) || (v.maxAgeYears !== undefined && e.ageYears > v.maxAgeYears))
              add(r, i, amount, () => ({ itemName: itemName(i), ageYears: e.ageYears, reason: v.reason }));
            break;
          case K['item-benefit-type']:
            if (!v.benefitTypes.includes(e.benefitType)) add(r, i, amount, () => ({ itemName: itemName(i), benefitType: e.benefitType, allowed: v.benefitTypes, knowledge: v.src }));
            break;
          case K['item-visit-type']: {
            const vt: string[] = v.visitTypes;
            const ok = vt.includes(e.kind) || (vt.includes('emergency') && e.benefitType === 'emergency');
            if (!ok) add(r, i, amount, () => ({ itemName: itemName(i), visit: e.kind, allowed: vt, knowledge: v.src }));
            break;
          }
          case K['item-online-scope']:
            if (e.kind === 'online') add(r, i, amount, () => ({ itemName: itemName(i), knowledge: v.src }));
            break;
          case K['item-not-payable']:
            if (v.mode === 'always') add(r, i, amount, () => ({ itemName: itemName(i), knowledge: v.src }));
            else {
              defHits.push(hit);
              defLines.push(i);
            }
            break;
          case K['item-department']: {
            // departments without a 科别代码 (non-clinical centers) or unknown to the plan cannot be judged
            const dept = plan.departmentCodes.get(cols.departmentId[i]!);
            if (dept !== undefined && dept !== '' && !startsAny(dept, v.deptPrefixes))
              add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], departmentCode: dept, allowed: v.deptPrefixes, group: v.nameZh, basis: v.basis }));
            break;
          }
          case K['item-price-cap']:
            if (cols.unitPriceFen[i]! > v.capFen) add(r, i, (cols.unitPriceFen[i]! - v.capFen) * cols.quantity[i]!, () => ({ itemName: itemName(i), unitPriceFen: cols.unitPriceFen[i], capFen: v.capFen }));
            break;
          case K['drug-oversupply']: {
            const days = e.benefitType === 'chronic-special' ? (r.p['chronicDays'] as number) : (r.p['generalDays'] as number);
            if (cols.quantity[i]! > v.maxPerDay * days) add(r, i, ((cols.quantity[i]! - v.maxPerDay * days) / cols.quantity[i]!) * amount, () => ({ itemName: itemName(i), quantity: cols.quantity[i], maxQuantity: v.maxPerDay * days, days }));
            break;
          }
          case K['antibiotic-tier']: {
            const title = plan.titles.get(cols.doctorId[i]!);
            if (title !== undefined && !(r.p['allowedTitles'] as string[]).includes(title)) add(r, i, amount, () => ({ itemName: itemName(i), title, drugClass: v.nameZh }));
            break;
          }
          case K['drug-second-line']:
          case K['item-period-frequency']:
            break; // cross-encounter (patient history): handled by the batch collector
          default:
            defHits.push(hit);
            defLines.push(i);
        }
      }
    }

    if (defLines.length > 0) grouped(ctx, from, to);
    encounterLevel(ctx, from, to, f, L, dayFlags, span, admitDay);
    flush(out);
    return f;
  }

  /** Rules over groups of lines that collected hits: per item-day, per stay, pairs, courses. */
  function grouped(ctx: AuditEncounter, from: number, to: number): void {
    const e = ctx.encounter;
    // rule idx → positions in defLines, rules in order of first hit (reused slots, no Map per encounter)
    ruleOrder.length = 0;
    for (let k = 0; k < defLines.length; k++) {
      const idx = defHits[k]!.r.idx;
      const l = posOf[idx];
      if (l) l.push(k);
      else {
        posOf[idx] = [k];
        ruleOrder.push(idx);
      }
    }
    for (const ri of ruleOrder) {
      const ks = posOf[ri]!;
      posOf[ri] = undefined;
      const r = plan.rules[ri]!;
      switch (r.kind) {
        case 'item-daily-quantity': {
          const identicalOnly = r.p['mode'] === 'identical-duplicate';
          const groups = new Map<string, number[]>();
          for (const k of ks) {
            const i = defLines[k]!;
            const key = `${cols.item[i]}|${Math.floor(cols.tMin[i]! / 1440)}`;
            const g = groups.get(key);
            if (g) g.push(k);
            else groups.set(key, [k]);
          }
          for (const g of groups.values()) {
            const max: number = defHits[g[0]!]!.v.max;
            // NHSA hourly items publish 24 (小时) per day, daily items 1 (日): the limit is per calendar day either way
            const hourly = defHits[g[0]!]!.v.unit === '小时';
            const cap = max;
            // identical duplicates (same item, same chargedAt) are 重复收费, counted once here
            const seen = new Set<string>();
            let qty = 0;
            const kept: number[] = [];
            const dups: number[] = [];
            for (const k of g) {
              const i = defLines[k]!;
              if (seen.has(cols.chargedAt[i]!)) dups.push(i);
              else {
                seen.add(cols.chargedAt[i]!);
                qty += cols.quantity[i]!;
                kept.push(i);
              }
            }
            if (identicalOnly) {
              if (max <= 1 && !hourly) for (const i of dups) add(r, i, cols.amountFen[i]!, () => ({ itemName: itemName(i), chargedAt: cols.chargedAt[i] }));
            } else if (qty > cap + 1e-9) {
              const i0 = kept[0]!;
              const unitPrice = cols.unitPriceFen[i0]!;
              for (const i of kept) add(r, i, 0, () => ({ itemName: itemName(i0), quantity: qty, max: cap, day: dayToIso(Math.floor(cols.tMin[i0]! / 1440)) }));
              pendingOf[r.idx]!.amountFen += (qty - cap) * unitPrice;
            }
          }
          break;
        }
        case 'item-stay-quantity': {
          if (e.kind !== 'inpatient') break;
          const groups = new Map<number, number[]>();
          for (const k of ks) {
            const i = defLines[k]!;
            const g = groups.get(cols.item[i]!);
            if (g) g.push(i);
            else groups.set(cols.item[i]!, [i]);
          }
          for (const g of groups.values()) {
            const seen = new Set<string>();
            let qty = 0;
            for (const i of g) if (!seen.has(cols.chargedAt[i]!)) (seen.add(cols.chargedAt[i]!), (qty += cols.quantity[i]!));
            const limit = e.losDays + 1;
            if (qty > limit + 1e-9) {
              const i0 = g[0]!;
              for (const i of g) add(r, i, 0, () => ({ itemName: itemName(i0), quantity: qty, losDays: e.losDays }));
              pendingOf[r.idx]!.amountFen += (qty - limit) * cols.unitPriceFen[i0]!;
            }
          }
          break;
        }
        case 'item-course-days': {
          const groups = new Map<number, number[]>();
          for (const k of ks) {
            const i = defLines[k]!;
            const g = groups.get(cols.item[i]!);
            if (g) g.push(k);
            else groups.set(cols.item[i]!, [k]);
          }
          for (const g of groups.values()) {
            const v = defHits[g[0]!]!.v;
            const lines = g.map((k) => defLines[k]!).sort((a, b) => cols.tMin[a]! - cols.tMin[b]!);
            const firstDay = Math.floor(cols.tMin[lines[0]!]! / 1440);
            const days = new Set<number>();
            for (const i of lines) {
              const d = Math.floor(cols.tMin[i]! / 1440);
              days.add(d);
              const over = v.counting === 'span-from-first-use' ? d - firstDay + 1 > v.maxDays : days.size > v.maxDays;
              if (over) add(r, i, cols.amountFen[i]!, () => ({ itemName: itemName(i), maxDays: v.maxDays, knowledge: v.src }));
            }
          }
          break;
        }
        case 'item-pair': {
          const pairs = r.p['pairs'] as { window: string; src: string; nameZh: string }[];
          const byPair = new Map<number, { a: number[]; b: number[] }>();
          for (const k of ks) {
            const v = defHits[k]!.v;
            let g = byPair.get(v.pair);
            if (!g) byPair.set(v.pair, (g = { a: [], b: [] }));
            (v.role === 'a' ? g.a : g.b).push(defLines[k]!);
          }
          const sameDayAll = r.p['sameDayForAllWindows'] === true;
          for (const [pi, g] of byPair) {
            if (g.a.length === 0 || g.b.length === 0) continue;
            const pr = pairs[pi]!;
            for (const ib of g.b) {
              for (const ia of g.a) {
                if (ia === ib || cols.item[ia] === cols.item[ib]) continue;
                const dt = Math.abs(cols.tMin[ia]! - cols.tMin[ib]!);
                const sameDay = Math.floor(cols.tMin[ia]! / 1440) === Math.floor(cols.tMin[ib]! / 1440);
                const w = sameDayAll && pr.window !== 'same-visit' ? 'same-day' : pr.window;
                const inWindow = w === 'same-visit' ? true : w === 'same-day' ? sameDay : w === '6-hours' ? dt <= 360 : w === 'same-hour' ? dt < 60 : sameDay;
                if (!inWindow) continue;
                // flag the later line of the pair (the duplicated one)
                const later = cols.tMin[ib]! > cols.tMin[ia]! || (cols.tMin[ib] === cols.tMin[ia] && ib > ia) ? ib : ia;
                add(r, later, cols.amountFen[later]!, () => ({ itemA: itemName(ia), itemB: itemName(ib), window: pr.window, pair: pr.nameZh, knowledge: pr.src }));
                break;
              }
            }
          }
          break;
        }
        case 'unbundling': {
          // per package and day: components billed while a context item (e.g. an anaesthesia) is billed
          // and the package itself is not — the package was charged in pieces
          const packages = r.p['packages'] as { nameZh: string; basis: string }[];
          const groups = new Map<string, { pkg: number; context: number[]; components: number[]; packaged: boolean }>();
          for (const k of ks) {
            const i = defLines[k]!;
            const v = defHits[k]!.v;
            const key = `${v.pkg}|${Math.floor(cols.tMin[i]! / 1440)}`;
            let g = groups.get(key);
            if (!g) groups.set(key, (g = { pkg: v.pkg, context: [], components: [], packaged: false }));
            if (v.role === 'package') g.packaged = true;
            else if (v.role === 'context') g.context.push(i);
            else if (g.components[g.components.length - 1] !== i) g.components.push(i);
          }
          for (const g of groups.values()) {
            if (g.packaged || g.context.length === 0 || g.components.length === 0) continue;
            const pk = packages[g.pkg]!;
            const names = [...new Set(g.components.map(itemName))];
            for (const i of g.components)
              add(r, i, cols.amountFen[i]!, () => ({ package: pk.nameZh, components: names, context: itemName(g.context[0]!), day: dayToIso(Math.floor(cols.tMin[i]! / 1440)), basis: pk.basis }));
          }
          break;
        }
        case 'item-companion': {
          const comps = r.p['companions'] as { need: string[]; reason: string }[];
          for (const k of ks) {
            const i = defLines[k]!;
            const c = comps[defHits[k]!.v.companion]!;
            let found = false;
            for (let j = from; j < to && !found; j++) {
              if (cols.category[j] !== 2) continue; // the companion is a service (诊疗项目) line
              for (const kw of c.need) if (itemName(j).includes(kw)) found = true;
            }
            if (!found) add(r, i, cols.amountFen[i]!, () => ({ itemName: itemName(i), reason: c.reason }));
          }
          break;
        }
        case 'surgery-discount': {
          const groups = new Map<string, number[]>();
          for (const k of ks) {
            const i = defLines[k]!;
            const key = `${defHits[k]!.v.group}|${Math.floor(cols.tMin[i]! / 1440)}`;
            const g = groups.get(key);
            if (g) g.push(i);
            else groups.set(key, [i]);
          }
          for (const [key, g] of groups) {
            const distinct = new Set(g.map((i) => cols.item[i]));
            if (distinct.size < 2) continue;
            const sorted = [...g].sort((a, b) => cols.amountFen[b]! - cols.amountFen[a]!);
            for (const i of sorted.slice(1)) {
              const cap = items[cols.item[i]!]!.priceCapFen;
              const fullPrice = cap > 0 ? cols.unitPriceFen[i]! >= cap : true;
              const rate = Number(r.p['discountRate'] ?? 0.5);
              if (fullPrice) add(r, i, cols.amountFen[i]! * (1 - rate), () => ({ itemName: itemName(i), group: key.split('|')[0] }));
            }
          }
          break;
        }
        case 'item-not-payable': {
          // 单方使用不予支付: listed pieces alone, or a day's prescription made only of listed pieces
          const listed = new Set(ks.map((k) => defLines[k]!));
          const byDay = new Map<number, number[]>();
          for (let j = from; j < to; j++) {
            if (cols.item[j]! < 0 || !(itemBits[cols.item[j]!]! & BIT.herb)) continue;
            const d = Math.floor(cols.tMin[j]! / 1440);
            const g = byDay.get(d);
            if (g) g.push(j);
            else byDay.set(d, [j]);
          }
          for (const g of byDay.values()) if (g.every((j) => listed.has(j))) for (const j of g) add(r, j, cols.amountFen[j]!, () => ({ itemName: itemName(j), herbs: g.length }));
          break;
        }
        default:
          break;
      }
    }
  }

  /** Rules on the encounter as a whole. */
  function encounterLevel(ctx: AuditEncounter, from: number, to: number, f: Features, L: Lists, dayFlags: Uint8Array | undefined, span: number, admitDay: number): void {
    const e = ctx.encounter;
    const dx = e.diagnoses;
    if (dayFlags) {
      for (const r of L.phantom) {
        const minDays = Number(r.p['minConsecutiveDays'] ?? 3);
        let run = 0;
        const runs: [number, number][] = [];
        for (let d = 0; d <= span; d++) {
          if (d < span && dayFlags[d] === 1) run++;
          else {
            if (run >= minDays) runs.push([d - run, d - 1]);
            run = 0;
          }
        }
        if (runs.length === 0) continue;
        for (let i = from; i < to; i++) {
          const o = Math.floor(cols.tMin[i]! / 1440) - admitDay;
          if (runs.some(([a, b]) => o >= a && o <= b)) add(r, i, cols.amountFen[i]!, () => ({ days: runs.map(([a, b]) => `${dayToIso(admitDay + a)}~${dayToIso(admitDay + b)}`), minDays }));
        }
      }
    }
    for (const r of L.evidence) {
      const entries = r.p['entries'] as { prefix: string; nameZh: string; codes: Set<string>; keywords: string[] }[];
      for (let d = r.p['secondaryOnly'] === false ? 0 : 1; d < dx.length; d++) {
        let memo = evidenceMemo.get(r) as Map<string, (typeof entries)[number] | null> | undefined;
        if (!memo) evidenceMemo.set(r, (memo = new Map()));
        let ent = memo.get(dx[d]!);
        if (ent === undefined) {
          ent = entries.find((x) => dx[d]!.startsWith(x.prefix)) ?? null;
          if (memo.size > 200_000) memo.clear();
          memo.set(dx[d]!, ent);
        }
        if (!ent) continue;
        let supported = false;
        for (let i = from; i < to && !supported; i++) {
          if (ent.codes.has(cols.itemCode[i]!)) supported = true;
          else for (const kw of ent.keywords) if (itemName(i).includes(kw)) supported = true;
        }
        if (!supported) add(r, -1, 0, () => ({ diagnosis: dx[d], diagnosisName: ent.nameZh, evidence: ent.keywords }));
      }
    }
    for (const r of L.dxSex)
      for (const d of dx) for (const x of tableHits(r, d) as { prefix: string; sex: string; nameZh: string }[]) if (e.sex !== x.sex) add(r, -1, 0, () => ({ diagnosis: d, diagnosisName: x.nameZh, sex: e.sex === '1' ? '男' : '女' }));
    for (const r of L.dxAge)
      for (const d of dx)
        for (const x of tableHits(r, d) as { prefix: string; minAgeYears?: number; maxAgeYears?: number; nameZh: string }[])
          if ((x.minAgeYears !== undefined && e.ageYears < x.minAgeYears) || (x.maxAgeYears !== undefined && e.ageYears > x.maxAgeYears)) add(r, -1, 0, () => ({ diagnosis: d, diagnosisName: x.nameZh, ageYears: e.ageYears }));
    for (const r of L.procSex) for (const x of r.p['table'] as { prefix: string; sex: string; nameZh: string }[]) for (const p of e.procedures) if (p.startsWith(x.prefix) && e.sex !== x.sex) add(r, -1, 0, () => ({ procedure: p, procedureName: x.nameZh, sex: e.sex === '1' ? '男' : '女' }));
    for (const r of L.dxProc)
      for (const x of r.p['table'] as { procedurePrefix: string; diagnosisPrefixes: string[]; nameZh: string }[])
        for (const p of e.procedures) if (p.startsWith(x.procedurePrefix) && !anyDiagnosis(dx, x.diagnosisPrefixes)) add(r, -1, 0, () => ({ procedure: p, procedureName: x.nameZh, diagnoses: dx.join('|') }));
    for (const r of L.procCode) {
      const re = r.p['re'] as RegExp;
      for (const p of e.procedures) if (!re.test(p)) add(r, -1, 0, () => ({ procedure: p, reason: '不符合ICD-9-CM-3编码格式' }));
      if (e.kind === 'inpatient' && e.procedures.length === 0 && f.hasProcedureLine) add(r, -1, 0, () => ({ procedure: '', reason: '收取手术费但未编码手术操作' }));
    }
    for (const r of L.list) {
      const reasons: string[] = [];
      const los = dayNumber(e.dischargeDate) - dayNumber(e.admitDate);
      if (e.dischargeDate < e.admitDate) reasons.push('出院日期早于入院日期');
      else if (e.kind === 'inpatient' && e.losDays !== Math.max(1, los)) reasons.push(`住院天数${e.losDays}与出入院日期(${los}天)不符`);
      if (e.kind !== 'inpatient' && e.dischargeDate !== e.admitDate) reasons.push('门诊就诊日期不一致');
      if (e.ageYears === 0 && e.ageDays > 365) reasons.push(`年龄(天)${e.ageDays}超过1岁`);
      if (e.ageYears > 0 && e.ageDays > 0) reasons.push('1岁以上患者填写了年龄(天)');
      if (e.birthWeightGrams > 0 && (e.birthWeightGrams < 200 || e.birthWeightGrams > 20000)) reasons.push(`新生儿出生体重${e.birthWeightGrams}g超出200–20000g`);
      if (reasons.length) add(r, -1, 0, () => ({ reason: reasons.join('；') }));
    }
    for (const r of L.share) {
      const bucket = String(r.p['bucket']) as keyof Features['bucketFen'];
      const minTotal = Number(r.p['minTotalFen'] ?? 0);
      if (f.totalFen < minTotal || f.totalFen <= 0) continue;
      const share = f.bucketFen[bucket] / f.totalFen;
      if (share > Number(r.p['maxShare'])) add(r, -1, 0, () => ({ bucket, share: share.toFixed(3), maxShare: r.p['maxShare'], totalFen: f.totalFen }));
    }
    for (const r of L.low) {
      if (e.kind !== 'inpatient' || e.procedures.length > 0 || e.losDays > Number(r.p['maxLosDays'] ?? 3) || f.totalFen <= 0) continue;
      const examShare = f.bucketFen.exam / f.totalFen;
      if (examShare >= Number(r.p['minExamShare'] ?? 0.6) && f.bucketFen.treatment === 0) add(r, -1, f.totalFen, () => ({ losDays: e.losDays, examShare: examShare.toFixed(3) }));
    }
    if (f.drugs.length > 0) {
      const kindsRules = L.kinds, dupRules = L.dup;
      if (kindsRules.length > 0 || dupRules.length > 0) {
        // distinct drugs and ATC groups per day; stamps avoid per-encounter maps
        // one day (every outpatient visit) needs no grouping
        const d0 = Math.floor(cols.tMin[f.drugs[0]!]! / 1440);
        let oneDay = true;
        for (const i of f.drugs) if (Math.floor(cols.tMin[i]! / 1440) !== d0) oneDay = false;
        let dayGroups: Iterable<number[]> = [f.drugs];
        if (!oneDay) {
          const days = new Map<number, number[]>();
          for (const i of f.drugs) {
            const d = Math.floor(cols.tMin[i]! / 1440);
            const g = days.get(d);
            if (g) g.push(i);
            else days.set(d, [i]);
          }
          dayGroups = days.values();
        }
        for (const g of dayGroups) {
          serial++;
          const distinct: number[] = [];
          const dupLines: number[] = [];
          for (const i of g) {
            const it = cols.item[i]!;
            if (it < 0) continue;
            if (itemBits[it]! & BIT.herb) continue; // 中药饮片 are counted by 味 (class 76), not here
            if (stampItem[it] !== serial) {
              stampItem[it] = serial;
              distinct.push(i);
              const ag = atcGroup[it]!;
              if (ag >= 0) {
                if (stampGroup[ag] !== serial) {
                  stampGroup[ag] = serial;
                  firstOfGroup[ag] = i;
                } else dupLines.push(i);
              }
            }
          }
          for (const r of kindsRules) {
            const max = Number(r.p['maxKinds'] ?? 5);
            if (distinct.length > max) for (const i of distinct.slice(max)) add(r, i, cols.amountFen[i]!, () => ({ kinds: distinct.length, maxKinds: max }));
          }
          for (const r of dupRules)
            for (const i of dupLines) {
              const first = firstOfGroup[atcGroup[cols.item[i]!]!]!;
              add(r, i, cols.amountFen[i]!, () => ({ atc: items[cols.item[i]!]!.atc, drugs: [itemName(first), itemName(i)] }));
            }
        }
      }
      for (const r of L.herb) {
        if (f.herbs.length === 0) continue;
        if (r.p['mode'] === 'size') {
          const byDay = new Map<number, number[]>();
          for (const i of f.herbs) {
            const d = Math.floor(cols.tMin[i]! / 1440);
            const g = byDay.get(d);
            if (g) g.push(i);
            else byDay.set(d, [i]);
          }
          const maxHerbs = Number(r.p['maxHerbs'] ?? 30);
          for (const g of byDay.values()) if (g.length > maxHerbs) for (const i of g) add(r, i, cols.amountFen[i]!, () => ({ herbs: g.length, maxHerbs }));
        } else {
          const maxQ = Number(r.p['maxQuantity'] ?? 100);
          for (const i of f.herbs) if (cols.quantity[i]! > maxQ) add(r, i, ((cols.quantity[i]! - maxQ) / cols.quantity[i]!) * cols.amountFen[i]!, () => ({ itemName: itemName(i), quantity: cols.quantity[i], maxQuantity: maxQ }));
        }
      }
    }
    if (f.abx.length > 0 && !anyDiagnosis(dx, plan.infectionPrefixes)) {
      for (const r of L.abxNoInd) {
        // a surgical stay may carry prophylaxis: that is the perioperative rule's business
        if (e.procedures.length > 0 && r.p['excludeSurgical'] !== false) continue;
        for (const i of f.abx) add(r, i, cols.amountFen[i]!, () => ({ itemName: itemName(i), diagnoses: dx.join('|') }));
      }
      for (const r of L.abxPeri) {
        if (e.procedures.length === 0) continue;
        const days = new Set(f.abx.map((i) => Math.floor(cols.tMin[i]! / 1440)));
        const maxDays = Number(r.p['maxDays'] ?? 3);
        if (days.size > maxDays) for (const i of f.abx) add(r, i, 0, () => ({ abxDays: days.size, maxDays }));
      }
    }
  }

  return { audit };
}

export type { Features };
