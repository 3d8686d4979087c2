/**
 * Independent, deliberately simple detectors of the patterns in docs/irregularities.md, used by the
 * synth tests to prove the generated baseline is clean and every label is detectable (precision and
 * recall 1). They read national knowledge straight from /work/shared/reference (tests may), not from
 * the generator's seed, so a seed error cannot hide itself. Not product code: the audit engine lives
 * in src/audit/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineAmountFen, type IrregularityType, type Label } from '../domain/index.js';
import type { GeneratedRegion } from './index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'reference');
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

interface KRow { codes: string[]; params: Record<string, unknown> }
const knowledge = (slug: string): KRow[] => readJson<{ rows: KRow[] }>(join(SHARED, 'nhsa-rules', 'knowledge', `${slug}.json`)).rows;

export interface NationalKnowledge {
  pairs: [string, string][];
  sex: Map<string, '1' | '2'>;
  paediatric: Set<string>;
  frequency: Map<string, number>;
  evidence: { diagnosisPrefix: string; evidenceItemCodes: string[]; evidenceNameKeywords: string[] }[];
  exams: { itemCode: string; indicationPrefixes: string[] }[];
  diagnoses: Set<string>;
}

let cachedKnowledge: NationalKnowledge | undefined;
export function loadKnowledge(): NationalKnowledge {
  if (cachedKnowledge) return cachedKnowledge;
  const sex = new Map<string, '1' | '2'>();
  for (const s of ['drug-sex', 'service-sex']) for (const r of knowledge(s)) for (const c of r.codes) sex.set(c, r.params.sex === 'M' ? '1' : '2');
  const paediatric = new Set<string>();
  for (const s of ['drug-paediatric-only', 'drug-children-payment', 'service-paediatric-only']) for (const r of knowledge(s)) for (const c of r.codes) paediatric.add(c);
  const frequency = new Map<string, number>();
  for (const r of knowledge('service-frequency')) for (const c of r.codes) frequency.set(c, Number(r.params.maxQuantity));
  cachedKnowledge = {
    pairs: knowledge('service-duplicate-charge').map((r) => [r.codes[0]!, String(r.params.pairedItemCode)]),
    sex,
    paediatric,
    frequency,
    evidence: readJson<{ entries: NationalKnowledge['evidence'] }>(join(ROOT, 'data', 'knowledge', 'diagnosis-evidence.json')).entries,
    exams: readJson<{ entries: NationalKnowledge['exams'] }>(join(ROOT, 'data', 'knowledge', 'exam-indications.json')).entries,
    diagnoses: new Set(Object.keys(readJson<Record<string, string>>(join(ROOT, 'data', 'schemes', 'chs-drg-2.0', 'diagnoses.json')))),
  };
  return cachedKnowledge;
}

/** Female-/male-only ICD-10 categories (an independent copy of the usual ranges). */
export function diagnosisSex(code: string): '1' | '2' | undefined {
  const c = code.slice(0, 3);
  if (c[0] === 'O' || (c >= 'N70' && c <= 'N98') || (c >= 'C51' && c <= 'C58') || (c >= 'D25' && c <= 'D28')) return '2';
  if ((c >= 'N40' && c <= 'N51') || (c >= 'C60' && c <= 'C63')) return '1';
  return undefined;
}

const minutes = (ts: string): number => Date.parse(`${ts}Z`) / 60_000;

/** Rows the importer must quarantine, found independently: `${file}#${id}` → reason. */
export function findBadRows(r: GeneratedRegion, k: NationalKnowledge): Map<string, string> {
  const bad = new Map<string, string>();
  const map = new Set(r.codeMap.map((m) => `${m.institutionId}|${m.localCode}`));
  for (const e of r.encounters) {
    if (e.diagnoses.some((d) => !k.diagnoses.has(d))) bad.set(`encounters.csv#${e.id}`, 'unknown-diagnosis');
    else if (e.dischargeDate < e.admitDate) bad.set(`encounters.csv#${e.id}`, 'discharge-before-admission');
    else if (e.diagnoses.some((d) => diagnosisSex(d) && diagnosisSex(d) !== e.sex)) bad.set(`encounters.csv#${e.id}`, 'diagnosis-sex-mismatch');
  }
  for (const l of r.lines) {
    if (!(l.quantity > 0)) bad.set(`settlement-lines.csv#${l.id}`, 'quantity-not-positive');
    else if (l.amountFen !== lineAmountFen(l.quantity, l.unitPriceFen)) bad.set(`settlement-lines.csv#${l.id}`, 'amount-mismatch');
    else if (!l.itemCode && !map.has(`${l.institutionId}|${l.localCode}`)) bad.set(`settlement-lines.csv#${l.id}`, 'unmapped-local-code');
  }
  return bad;
}

export type Findings = Record<IrregularityType, Set<string>>;

/** Encounter ids flagged per type, over the rows that are not bad. */
export function detect(r: GeneratedRegion, k: NationalKnowledge): Findings {
  const bad = findBadRows(r, k);
  const encounters = r.encounters.filter((e) => !bad.has(`encounters.csv#${e.id}`));
  const lines = r.lines.filter((l) => !bad.has(`settlement-lines.csv#${l.id}`));
  const catalog = new Map(r.catalog.map((c) => [c.code, c]));
  const localMap = new Map(r.codeMap.map((m) => [`${m.institutionId}|${m.localCode}`, m.nationalCode]));
  const code = (l: (typeof lines)[number]): string => l.itemCode || localMap.get(`${l.institutionId}|${l.localCode}`)!;
  const byEnc = new Map<string, typeof lines>();
  for (const l of lines) {
    const list = byEnc.get(l.encounterId);
    if (list) list.push(l);
    else byEnc.set(l.encounterId, [l]);
  }
  const f: Findings = {
    'split-admission': new Set(), 'phantom-stay': new Set(), 'drug-substitution': new Set(), 'duplicate-charge': new Set(), 'over-price-cap': new Set(),
    'over-frequency': new Set(), 'sex-restricted': new Set(), 'age-restricted': new Set(), upcoding: new Set(), 'over-examination': new Set(), 'doctor-high-frequency': new Set(),
  };
  const pairSet = new Set(k.pairs.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));

  // split-admission
  const stays = new Map<string, typeof encounters>();
  for (const e of encounters) {
    if (e.kind !== 'inpatient') continue;
    const key = `${e.personIdNumber}|${e.institutionId}`;
    const list = stays.get(key);
    if (list) list.push(e);
    else stays.set(key, [e]);
  }
  for (const list of stays.values()) {
    list.sort((a, b) => (a.admitDate < b.admitDate ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      const gap = (Date.parse(cur.admitDate) - Date.parse(prev.dischargeDate)) / 86_400_000;
      if (gap >= 0 && gap <= 15 && cur.diagnoses[0]!.slice(0, 3) === prev.diagnoses[0]!.slice(0, 3)) {
        f['split-admission'].add(prev.id);
        f['split-admission'].add(cur.id);
      }
    }
  }

  const personOf = new Map(encounters.map((e) => [e.id, e.personIdNumber]));
  for (const e of encounters) {
    const ls = byEnc.get(e.id) ?? [];
    // phantom-stay
    if (e.kind === 'inpatient') {
      const perDay = new Map<string, boolean>(); // date → has non-facility line
      for (const l of ls) {
        const d = l.chargedAt.slice(0, 10);
        if (d < e.admitDate || d > e.dischargeDate) continue;
        perDay.set(d, (perDay.get(d) ?? false) || l.category !== 'facility');
      }
      let run = 0;
      let prevDay = '';
      for (const d of [...perDay.keys()].sort()) {
        const consecutive = prevDay !== '' && Date.parse(d) - Date.parse(prevDay) === 86_400_000;
        run = perDay.get(d) ? 0 : consecutive ? run + 1 : 1;
        prevDay = d;
        if (run >= 3) f['phantom-stay'].add(e.id);
      }
    }
    const dayCodes = new Map<string, Map<string, number>>();
    const stayTotals = new Map<string, number>();
    const seenTs = new Set<string>();
    for (const l of ls) {
      const c = code(l);
      const item = catalog.get(c)!;
      // drug-substitution
      if (l.localCode && l.itemCode) {
        const mapped = localMap.get(`${l.institutionId}|${l.localCode}`);
        if (mapped && mapped !== l.itemCode && l.category === 'drug' && catalog.get(mapped)?.category === 'drug' && item.priceCapFen > catalog.get(mapped)!.priceCapFen) f['drug-substitution'].add(e.id);
      }
      // over-price-cap
      if (item.priceCapFen > 0 && l.unitPriceFen > item.priceCapFen) f['over-price-cap'].add(e.id);
      // sex / age restrictions (catalog and national knowledge)
      const sex = item.restrictions.sex ?? k.sex.get(c);
      if (sex && sex !== e.sex) f['sex-restricted'].add(e.id);
      const maxAge = item.restrictions.maxAgeYears ?? (k.paediatric.has(c) ? 17 : undefined);
      if ((maxAge !== undefined && e.ageYears > maxAge) || (item.restrictions.minAgeYears !== undefined && e.ageYears < item.restrictions.minAgeYears)) f['age-restricted'].add(e.id);
      // over-examination
      const exam = k.exams.find((x) => x.itemCode === c);
      if (exam && !e.diagnoses.some((d) => exam.indicationPrefixes.some((p) => d.startsWith(p)))) f['over-examination'].add(e.id);
      // per day
      const day = l.chargedAt.slice(0, 10);
      let m = dayCodes.get(day);
      if (!m) dayCodes.set(day, (m = new Map()));
      m.set(c, (m.get(c) ?? 0) + l.quantity);
      if (item.unit === '日') stayTotals.set(c, (stayTotals.get(c) ?? 0) + l.quantity);
      const ts = `${c}|${l.chargedAt}`;
      if ((item.restrictions.maxQuantityPerDay ?? k.frequency.get(c)) === 1 && seenTs.has(ts)) f['duplicate-charge'].add(e.id);
      seenTs.add(ts);
    }
    for (const m of dayCodes.values()) {
      const codes = [...m.keys()];
      for (const a of codes) for (const b of codes) if (a < b && pairSet.has(`${a}|${b}`)) f['duplicate-charge'].add(e.id);
      for (const [c, q] of m) {
        const max = catalog.get(c)!.restrictions.maxQuantityPerDay ?? k.frequency.get(c);
        if (max !== undefined && q > max) f['over-frequency'].add(e.id);
      }
    }
    if (e.kind === 'inpatient') for (const q of stayTotals.values()) if (q > e.losDays + 1) f['over-frequency'].add(e.id);
    // upcoding
    if (e.kind === 'inpatient') {
      const codes = new Set(ls.map(code));
      const names = ls.map((l) => l.itemName);
      for (const d of e.diagnoses.slice(1)) {
        const ev = k.evidence.find((x) => d.startsWith(x.diagnosisPrefix));
        if (ev && !ev.evidenceItemCodes.some((c) => codes.has(c)) && !names.some((n) => ev.evidenceNameKeywords.some((kw) => n.includes(kw)))) f.upcoding.add(e.id);
      }
    }
  }

  // doctor-high-frequency: same doctor, same drug, ≥ 8 distinct patients within 60 minutes
  const groups = new Map<string, { t: number; enc: string }[]>();
  for (const l of lines) {
    if (l.category !== 'drug' || !personOf.has(l.encounterId)) continue;
    const key = `${l.doctorId}|${code(l)}`;
    const list = groups.get(key);
    const x = { t: minutes(l.chargedAt), enc: l.encounterId };
    if (list) list.push(x);
    else groups.set(key, [x]);
  }
  for (const list of groups.values()) {
    if (list.length < 8) continue;
    list.sort((a, b) => a.t - b.t);
    let lo = 0;
    for (let hi = 0; hi < list.length; hi++) {
      while (list[hi]!.t - list[lo]!.t > 60) lo++;
      const window = list.slice(lo, hi + 1);
      const persons = new Set(window.map((x) => personOf.get(x.enc)));
      if (persons.size >= 8) for (const x of window) f['doctor-high-frequency'].add(x.enc);
    }
  }
  return f;
}

export interface Score {
  findings: number;
  truePositiveFindings: number;
  labels: number;
  detected: number;
  precision: number;
  recall: number;
}

/** Scoring of docs/irregularities.md § Scoring. */
export function score(labels: Label[], findings: Findings): Record<IrregularityType, Score> {
  const out = {} as Record<IrregularityType, Score>;
  for (const type of Object.keys(findings) as IrregularityType[]) {
    const ls = labels.filter((l) => l.type === type);
    const labelled = new Set(ls.flatMap((l) => l.encounterIds));
    const fs = findings[type];
    const tp = [...fs].filter((e) => labelled.has(e)).length;
    const detected = ls.filter((l) => l.encounterIds.some((e) => fs.has(e))).length;
    out[type] = { findings: fs.size, truePositiveFindings: tp, labels: ls.length, detected, precision: fs.size ? tp / fs.size : 1, recall: ls.length ? detected / ls.length : 1 };
  }
  return out;
}
