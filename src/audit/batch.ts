/**
 * Batch audit (事后): runs the encounter evaluator over each encounter and collects the compact
 * facts that cross-encounter rules need (patient history, doctor prescribing density, peer groups),
 * evaluated once in finish().
 */
import type { Encounter } from '../domain/index.js';
import { BIT, kindBit, levelBit, schemeBit } from './compile.js';
import type { AuditPlan, CompiledRule } from './compile.js';
import { dayNumber, dayToIso } from './columns.js';
import type { LineColumns } from './columns.js';
import { createEncounterAuditor, violationOf } from './evaluate.js';
import type { Features } from './evaluate.js';
import type { AuditEncounter, Violation } from './types.js';

interface EncRec {
  e: Encounter;
  admitDay: number;
  dischargeDay: number;
  totalFen: number;
  examFen: number;
  examLines: string[];
  hasDrug: boolean;
}

const NO_LINES: string[] = []; // shared by the many encounters without exam lines; never written

interface LineRef {
  enc: number;
  lineId: string;
  amountFen: number;
  doctorId: string;
  departmentId: string;
}

export interface BatchAudit {
  /** Audit one encounter's lines [from, to); returns its own violations. */
  add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): Violation[];
  /** Cross-encounter rules over everything added. */
  finish(): Violation[];
  readonly encounters: number;
  readonly lines: number;
}

/**
 * Which rules a batch runs. `all` (default): everything. The parallel driver (parallel-batch.ts)
 * splits encounters by person across workers: a worker runs `person` (every per-encounter rule and
 * the cross-encounter rules keyed by one patient: 分解住院, 再入院, 频繁就诊, 转嫁费用, 周期频次, 限二线),
 * and the main thread runs `global` (the rules that span patients: 医师高频开药, 单次费用超同组均值),
 * which only need each encounter's total and its drug lines.
 */
export type BatchPart = 'all' | 'person' | 'global';

/** Cross-encounter rule kinds whose facts span patients (run by the `global` part). */
export const GLOBAL_KINDS = ['doctor-high-frequency', 'peer-cost-outlier'] as const;

export interface BatchOptions {
  part?: BatchPart;
  /** Called after each encounter's line pass with its features (the parallel worker keeps the cross-patient facts). */
  onFeatures?: (ctx: AuditEncounter, cols: LineColumns, from: number, to: number, f: Pick<Features, 'totalFen' | 'drugs'>) => void;
  /** Line ids as the violations name them, when `cols.id` holds references (parallel driver); default: as they are. */
  lineId?: (ref: string) => string;
}

/**
 * Cross-patient facts of consecutive encounters, gathered elsewhere (parallel driver): each
 * encounter's total (summed in line order) and its drug lines in line order, strings as ids into `S`.
 */
export interface FactBlock {
  encounters: readonly AuditEncounter[];
  totals: ArrayLike<number>;
  /** drug lines: encounter (index into `encounters`), doctor (string id), item (plan index, or -2 - string id of an unknown code), minute, line reference, amount */
  n: number;
  enc: ArrayLike<number>;
  doctor: ArrayLike<number>;
  code: ArrayLike<number>;
  tMin: ArrayLike<number>;
  line: ArrayLike<number>;
  amountFen: ArrayLike<number>;
  S: readonly string[];
}

/** The cross-patient part fed with facts gathered elsewhere (parallel driver). */
export interface GlobalBatchAudit extends BatchAudit {
  addFacts(b: FactBlock): void;
}

export function createBatchAudit(plan: AuditPlan, opts: BatchOptions & { part: 'global' }): GlobalBatchAudit;
export function createBatchAudit(plan: AuditPlan, opts?: BatchOptions): BatchAudit;
export function createBatchAudit(plan: AuditPlan, opts: BatchOptions = {}): GlobalBatchAudit {
  const part = opts.part ?? 'all';
  const auditor = part === 'global' ? undefined : createEncounterAuditor(plan, 'post');
  const rulesOf = (k: string): CompiledRule[] => {
    const isGlobal = (GLOBAL_KINDS as readonly string[]).includes(k);
    if ((part === 'person' && isGlobal) || (part === 'global' && !isGlobal)) return [];
    return (plan.byKind.get(k as never) ?? []).filter((r) => r.modeMask & 4) as CompiledRule[];
  };
  const R = {
    split: rulesOf('split-admission'),
    readmit: rulesOf('readmission'),
    frequent: rulesOf('frequent-visits'),
    doctor: rulesOf('doctor-high-frequency'),
    peer: rulesOf('peer-cost-outlier'),
    shift: rulesOf('cost-shifting'),
    period: rulesOf('item-period-frequency'),
    second: rulesOf('drug-second-line'),
  };
  // the compile-time bit helpers (same value lists and order), no array literal per call
  const applies = (r: CompiledRule, e: Encounter, level: string): boolean => scopeMatches(r, scopeBits(e, level));
  const encs: EncRec[] = [];
  const levels: string[] = [];
  let lineCount = 0;
  // doctor–drug prescribing events (columns)
  const needDoctor = R.doctor.length > 0;
  const docIntern = new Map<string, number>();
  const codeIntern = new Map<string, number>();
  const codeOfItem = new Int32Array(plan.items.length).fill(-1);
  let nCodes = 0;
  // compact columns, no object per prescription
  const dKey = growInt();
  const dT = growInt();
  // the person of a drug event is recPerson[dEnc[k]]: derived in finish, not stored per line
  const dEnc = growInt();
  const dLine: string[] = [];
  const dAmount = growFloat();
  const personIntern = new Map<string, number>();
  const recPerson: number[] = [];
  const dCode = growInt();
  // items with cross-encounter hits, and the ATC groups whose history the second-line rule needs
  const crossItem = new Uint8Array(plan.items.length);
  const historyGroups = new Set<string>();
  plan.itemHits.forEach((hs, i) => {
    if (!hs) return;
    for (const h of hs)
      if (h.r.kind === 'item-period-frequency' || h.r.kind === 'drug-second-line') {
        crossItem[i] = 1;
        if (h.r.kind === 'drug-second-line' && plan.items[i]!.atc) historyGroups.add(plan.items[i]!.atc.slice(0, 4));
      }
  });
  const historyItem = new Uint8Array(plan.items.length);
  // per item: its ATC group (first 4 chars, sliced once) and that group's dense number among the history groups
  const atc4 = plan.items.map((it) => it.atc.slice(0, 4));
  const groupNo = new Map([...historyGroups].map((g, k) => [g, k]));
  const historyGroupOf = new Int32Array(plan.items.length).fill(-1);
  plan.items.forEach((it, i) => {
    if (it.atc && historyGroups.has(atc4[i]!)) {
      historyItem[i] = 1;
      historyGroupOf[i] = groupNo.get(atc4[i]!)!;
    }
  });
  // patient item history for period-frequency and second-line rules
  const periodEv: { person: string; item: number; day: number; ref: LineRef; r: CompiledRule; v: any }[] = [];
  // first use per person (dense person number) and ATC group
  // per person (dense number) the head of a linked list of (group, item, first day) in flat columns:
  // no Map, array and object per person; a person has few history items, so the walk is short
  let pHead = new Int32Array(1024).fill(-1);
  // entries of 4 int32s (group, item, first day, next entry or -1) in one growing typed array
  let hist = new Int32Array(4096);
  let nHist = 0;
  const secondEv: { person: number; atc: string; item: number; day: number; ref: LineRef; r: CompiledRule; src: string }[] = [];

  const onFeatures = opts.onFeatures;
  const lineId = opts.lineId;
  function add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): Violation[] {
    const out: Violation[] = [];
    const f = auditor ? auditor.audit(ctx, cols, from, to, out) : globalFeatures(ctx, cols, from, to);
    if (onFeatures) onFeatures(ctx, cols, from, to, f);
    lineCount += to - from;
    record(ctx, cols, from, to, f);
    return out;
  }

  /**
   * Dense drug numbers in order of first sight, shared by the line path and the facts path: known
   * items by their plan index (an array read), unknown codes (`item` < 0) by their code string.
   */
  function drugNumber(item: number, code: string): number {
    if (item >= 0) {
      let c = codeOfItem[item]!;
      if (c < 0) codeOfItem[item] = c = nCodes++;
      return c;
    }
    let c = codeIntern.get(code);
    if (c === undefined) codeIntern.set(code, (c = nCodes++));
    return c;
  }

  // facts path: doctors by string id → dense number in order of first sight (as the string path numbers them)
  let docOfId = new Int32Array(0);
  const dLineRef = growFloat();
  function addFacts(b: FactBlock): void {
    const base = encs.length;
    const hasDrug = new Uint8Array(b.encounters.length);
    for (let k = 0; k < b.n; k++) hasDrug[b.enc[k]!] = 1;
    for (let k = 0; k < b.encounters.length; k++) {
      const ctx = b.encounters[k]!;
      const e = ctx.encounter;
      encs.push({ e, admitDay: dayNumber(e.admitDate), dischargeDay: dayNumber(e.dischargeDate), totalFen: b.totals[k]!, examFen: 0, examLines: NO_LINES, hasDrug: hasDrug[k] === 1 });
      levels.push(ctx.institutionLevel);
      let pIdx = personIntern.get(e.personId);
      if (pIdx === undefined) personIntern.set(e.personId, (pIdx = personIntern.size));
      recPerson.push(pIdx);
    }
    if (!needDoctor) return;
    if (docOfId.length < b.S.length) {
      const g = new Int32Array(Math.max(b.S.length, docOfId.length * 2)).fill(-1);
      g.set(docOfId);
      docOfId = g;
    }
    // whole columns at once: this runs on the driver thread, which shares the cores with the workers
    const key = new Int32Array(b.n), code = new Int32Array(b.n), enc = new Int32Array(b.n);
    for (let k = 0; k < b.n; k++) {
      const id = b.doctor[k]!;
      let d = docOfId[id]!;
      if (d < 0) docIntern.set(b.S[id]!, (d = docOfId[id] = docIntern.size));
      const it = b.code[k]!;
      const c = drugNumber(it, it >= 0 ? '' : b.S[-2 - it]!);
      const encIdx = base + b.enc[k]!;
      key[k] = d;
      code[k] = c;
      enc[k] = encIdx;
    }
    dKey.append(key);
    dCode.append(code);
    dEnc.append(enc);
    dT.append(b.tMin);
    dLineRef.append(b.line);
    dAmount.append(b.amountFen);
  }

  /** Keep what the cross-encounter rules need of one encounter. */
  function record(ctx: AuditEncounter, cols: LineColumns, from: number, to: number, f: Pick<Features, 'totalFen' | 'drugs' | 'admitDay' | 'dischargeDay'> & { bucketFen: { exam: number } }): void {
    const e = ctx.encounter;
    const encIdx = encs.length;
    const rec: EncRec = { e, admitDay: f.admitDay, dischargeDay: f.dischargeDay, totalFen: f.totalFen, examFen: f.bucketFen.exam, examLines: NO_LINES, hasDrug: f.drugs.length > 0 };
    encs.push(rec);
    levels.push(ctx.institutionLevel);
    let pIdx = personIntern.get(e.personId);
    if (pIdx === undefined) personIntern.set(e.personId, (pIdx = personIntern.size));
    recPerson.push(pIdx);
    if (R.shift.length > 0 && e.kind === 'outpatient' && f.bucketFen.exam > 0)
      for (let i = from; i < to; i++) {
        const it = cols.item[i]!;
        if (it >= 0 && plan.items[it]!.bits & BIT.exam) (rec.examLines === NO_LINES ? (rec.examLines = []) : rec.examLines).push(cols.id[i]!);
      }
    if (needDoctor && f.drugs.length > 0) {
      let lastDoc = '', d = 0, c = 0;
      for (const i of f.drugs) {
        if (cols.doctorId[i] !== lastDoc) {
          lastDoc = cols.doctorId[i]!;
          const have = docIntern.get(lastDoc);
          if (have === undefined) docIntern.set(lastDoc, (d = docIntern.size));
          else d = have;
        }
        c = drugNumber(cols.item[i]!, cols.itemCode[i]!);
        dKey.push(d);
        dCode.push(c);
        dT.push(cols.tMin[i]!);
        dEnc.push(encIdx);
        dLine.push(cols.id[i]!);
        dAmount.push(cols.amountFen[i]!);
      }
    }
    if (R.period.length > 0 || R.second.length > 0) {
      for (let i = from; i < to; i++) {
        const it = cols.item[i]!;
        if (it < 0 || !(crossItem[it]! | historyItem[it]!)) continue;
        const day = Math.floor(cols.tMin[i]! / 1440);
        if (historyItem[it]) {
          // first day of each item per person and group (order within a group does not matter: finish asks "any other item before?")
          if (pIdx >= pHead.length) {
            const g = new Int32Array(Math.max(pIdx + 1, pHead.length * 2)).fill(-1);
            g.set(pHead);
            pHead = g;
          }
          // an item belongs to one group, so matching the item alone finds its (group, item) entry
          let x = pHead[pIdx]!;
          while (x >= 0 && hist[x + 1] !== it) x = hist[x + 3]!;
          if (x < 0) {
            if (nHist + 4 > hist.length) {
              const g = new Int32Array(hist.length * 2);
              g.set(hist);
              hist = g;
            }
            hist[nHist] = historyGroupOf[it]!;
            hist[nHist + 1] = it;
            hist[nHist + 2] = day;
            hist[nHist + 3] = pHead[pIdx]!;
            pHead[pIdx] = nHist;
            nHist += 4;
          } else if (day < hist[x + 2]!) hist[x + 2] = day;
        }
        const hits = plan.itemHits[it];
        if (!hits || !crossItem[it]) continue;
        for (const h of hits) {
          if (!applies(h.r, e, ctx.institutionLevel)) continue;
          const ref = { enc: encIdx, lineId: cols.id[i]!, amountFen: cols.amountFen[i]!, doctorId: cols.doctorId[i]!, departmentId: cols.departmentId[i]! };
          if (h.r.kind === 'item-period-frequency' && R.period.includes(h.r)) periodEv.push({ person: e.personId, item: it, day, ref, r: h.r, v: h.v });
          else if (h.r.kind === 'drug-second-line' && R.second.includes(h.r)) secondEv.push({ person: pIdx, atc: atc4[it]!, item: it, day, ref, r: h.r, src: h.v.src });
        }
      }
    }
  }

  function finish(): Violation[] {
    const out: Violation[] = [];
    const emit = (r: CompiledRule, enc: EncRec, refs: LineRef[], amountFen: number, evidence: Record<string, unknown>): void => {
      out.push(
        violationOf(
          r,
          {
            encounterId: enc.e.id,
            institutionId: enc.e.institutionId,
            departmentId: refs[0]?.departmentId ?? enc.e.departmentId,
            doctorId: refs[0]?.doctorId ?? enc.e.doctorId,
          },
          lineId ? refs.map((x) => lineId(x.lineId)) : refs.map((x) => x.lineId),
          amountFen,
          evidence,
          { ...evidence, lineCount: refs.length, ruleVersion: r.version, libraryVersion: plan.libraryVersion },
        ),
      );
    };
    // Per encounter, the columns the per-person rules read, as typed arrays (no object hop per test);
    // scope: the packed scope bits (scopeBits) the rules' masks are tested against, once per encounter.
    const n = encs.length;
    const admit = new Int32Array(n);
    const discharge = new Int32Array(n);
    const kindOf = new Uint8Array(n);
    const scope = new Int32Array(n);
    const hasExamLines = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = encs[i]!;
      hasExamLines[i] = x.examLines.length > 0 ? 1 : 0;
      admit[i] = x.admitDay;
      discharge[i] = x.dischargeDay;
      scope[i] = scopeBits(x.e, levels[i]!);
      kindOf[i] = scope[i]! & 0xff;
    }
    const appliesAt = (r: CompiledRule, i: number): boolean => scopeMatches(r, scope[i]!);
    const INPATIENT = kindBit('inpatient');
    const OUTPATIENT = kindBit('outpatient');
    // stays per person in admission order: counting sort by person, then a stable insertion sort of
    // each person's few stays by (admission, discharge) day; pOrder[pStart[p] … pStart[p + 1]) is person p's
    const nP = personIntern.size;
    const pStart = new Int32Array(nP + 1);
    for (const p of recPerson) pStart[p + 1]!++;
    for (let p = 0; p < nP; p++) pStart[p + 1]! += pStart[p]!;
    const pFill = pStart.slice(0, nP);
    const pOrder = new Int32Array(n);
    recPerson.forEach((p, i) => (pOrder[pFill[p]!++] = i));
    for (let p = 0; p < nP; p++)
      for (let k = pStart[p]! + 1; k < pStart[p + 1]!; k++) {
        const i = pOrder[k]!;
        let j = k;
        while (j > pStart[p]! && (admit[pOrder[j - 1]!]! > admit[i]! || (admit[pOrder[j - 1]!]! === admit[i]! && discharge[pOrder[j - 1]!]! > discharge[i]!))) {
          pOrder[j] = pOrder[j - 1]!;
          j--;
        }
        pOrder[j] = i;
      }

    for (const r of [...R.split, ...R.readmit]) {
      const maxGap = Number(r.p['maxGapDays']);
      const sameInst = r.p['sameInstitution'] !== false;
      const catChars = Number(r.p['sameDiagnosisChars'] ?? 0);
      for (let p = 0; p < nP; p++) {
        const a = pStart[p]!;
        const b = pStart[p + 1]!;
        for (let k = a + 1; k < b; k++) {
          const i = pOrder[k]!;
          if (kindOf[i] !== INPATIENT) continue;
          const x = encs[i]!;
          // the previous stay: the latest inpatient stay before it (of the same institution, by default)
          let pk = k - 1;
          while (pk >= a && (kindOf[pOrder[pk]!] !== INPATIENT || (sameInst && encs[pOrder[pk]!]!.e.institutionId !== x.e.institutionId))) pk--;
          if (pk < a || !appliesAt(r, i)) continue;
          const p0 = encs[pOrder[pk]!]!;
          const gap = x.admitDay - p0.dischargeDay;
          if (gap < 0 || gap > maxGap) continue;
          if (catChars > 0 && x.e.diagnoses[0]!.slice(0, catChars) !== p0.e.diagnoses[0]!.slice(0, catChars)) continue;
          // 分解住院: the readmission is the amount at stake; 再入院 is an indicator (提醒), nothing at stake
          emit(r, x, [], r.kind === 'split-admission' ? x.totalFen : 0, { previousEncounterId: p0.e.id, previousDischarge: p0.e.dischargeDate, admitDate: x.e.admitDate, gapDays: gap, maxGapDays: maxGap, diagnosis: x.e.diagnoses[0], previousDiagnosis: p0.e.diagnoses[0] });
        }
      }
    }

    for (const r of R.frequent) {
      const kindMask = ((r.p['encounterKinds'] ?? ['outpatient']) as string[]).reduce((m, k) => m | (kindBit(k) & 0xff), 0);
      const windowDays = Number(r.p['windowDays']);
      const maxVisits = Number(r.p['maxVisits']);
      const requireDrug = r.p['requireDrug'] === true;
      const sel: number[] = [];
      for (let p = 0; p < nP; p++) {
        const a = pStart[p]!;
        const b = pStart[p + 1]!;
        if (b - a <= maxVisits) continue; // too few visits in all to exceed the limit in any window
        sel.length = 0;
        for (let k = a; k < b; k++) {
          const i = pOrder[k]!;
          if (kindOf[i]! & kindMask && (!requireDrug || encs[i]!.hasDrug)) sel.push(i);
        }
        let lo = 0;
        for (let hi = 0; hi < sel.length; hi++) {
          const h = sel[hi]!;
          while (admit[h]! - admit[sel[lo]!]! >= windowDays) lo++;
          const visits = hi - lo + 1;
          if (visits > maxVisits && appliesAt(r, h)) emit(r, encs[h]!, [], 0, { visits, windowDays, maxVisits, since: encs[sel[lo]!]!.e.admitDate });
        }
      }
    }

    const dLineRefV = dLineRef.view();
    const dKeyV = dKey.view(), dCodeV = dCode.view(), dTV = dT.view(), dEncV = dEnc.view(), dAmountV = dAmount.view();
    const dPersonV = R.doctor.length > 0 ? gather(recPerson, dEncV) : new Int32Array(0);
    for (const r of R.doctor) {
      const win = Number(r.p['windowMinutes'] ?? 60);
      const minPatients = Number(r.p['minPatients'] ?? 8);
      const flagged = flagPrescribingBursts(dKeyV, dCodeV, dTV, dPersonV, docIntern.size, nCodes, nP, win, minPatients);
      const byEnc = new Map<number, LineRef[]>();
      const docName = [...docIntern.keys()];
      for (const k of flagged) {
        const x = encs[dEncV[k]!]!;
        const ref: LineRef = { enc: dEncV[k]!, lineId: dLine.length > 0 ? dLine[k]! : (dLineRefV[k] as unknown as string), amountFen: dAmountV[k]!, doctorId: docName[dKeyV[k]!]!, departmentId: x.e.departmentId };
        const l = byEnc.get(ref.enc);
        if (l) l.push(ref);
        else byEnc.set(ref.enc, [ref]);
      }
      for (const [ei, refs] of byEnc) {
        const x = encs[ei]!;
        if (!appliesAt(r, ei)) continue;
        emit(r, x, refs, refs.reduce((s, z) => s + z.amountFen, 0), { doctorId: refs[0]!.doctorId, minPatients, windowMinutes: win });
      }
    }

    for (const r of R.peer) {
      const multiple = Number(r.p['multiple'] ?? 3);
      const minGroup = Number(r.p['minGroupSize'] ?? 20);
      // groups by (institution, kind, principal diagnosis category): the key string is made once per
      // group, and an encounter finds its group through its (institution, kind, diagnosis) strings
      const groups = new Map<string, number[]>();
      const groupOf = new Map<string, Map<string, Map<string, number[]>>>(); // institution → kind → principal diagnosis → group
      for (let i = 0; i < n; i++) {
        if (!appliesAt(r, i)) continue;
        const e = encs[i]!.e;
        const dx = e.diagnoses[0]!;
        let byKind = groupOf.get(e.institutionId);
        if (!byKind) groupOf.set(e.institutionId, (byKind = new Map()));
        let byDx = byKind.get(e.kind);
        if (!byDx) byKind.set(e.kind, (byDx = new Map()));
        let g = byDx.get(dx);
        if (!g) {
          const key = `${e.institutionId}|${e.kind}|${dx.slice(0, 3)}`;
          g = groups.get(key);
          if (!g) groups.set(key, (g = []));
          byDx.set(dx, g);
        }
        g.push(i);
      }
      for (const [key, g] of groups) {
        if (g.length < minGroup) continue;
        const mean = g.reduce((s, i) => s + encs[i]!.totalFen, 0) / g.length;
        for (const i of g) if (encs[i]!.totalFen > multiple * mean) emit(r, encs[i]!, [], encs[i]!.totalFen - multiple * mean, { group: key, meanFen: Math.round(mean), totalFen: encs[i]!.totalFen, multiple });
      }
    }

    for (const r of R.shift) {
      const before = Number(r.p['daysBefore'] ?? 3);
      const after = Number(r.p['daysAfter'] ?? 3);
      for (let p = 0; p < nP; p++) {
        const a = pStart[p]!;
        const b = pStart[p + 1]!;
        if (b - a < 2) continue; // a visit needs a stay of the same person
        for (let k = a; k < b; k++) {
          const i = pOrder[k]!;
          if (kindOf[i] !== OUTPATIENT || !hasExamLines[i] || !appliesAt(r, i)) continue;
          const o = encs[i]!;
          // the first of the person's stays (admission order) at the same institution with the visit just before or after it
          let stay: EncRec | undefined;
          for (let m = a; m < b && !stay; m++) {
            const s = pOrder[m]!;
            if (kindOf[s] !== INPATIENT) continue;
            const x = encs[s]!;
            if (x.e.institutionId === o.e.institutionId && ((o.admitDay >= x.admitDay - before && o.admitDay < x.admitDay) || (o.admitDay > x.dischargeDay && o.admitDay <= x.dischargeDay + after))) stay = x;
          }
          if (stay) emit(r, o, o.examLines.map((id) => ({ enc: i, lineId: id, amountFen: 0, doctorId: o.e.doctorId, departmentId: o.e.departmentId })), o.examFen, { stayId: stay.e.id, admitDate: stay.e.admitDate, dischargeDate: stay.e.dischargeDate, visitDate: o.e.admitDate });
        }
      }
    }

    if (periodEv.length > 0) {
      const groups = new Map<string, typeof periodEv>();
      for (const ev of periodEv) {
        const k = `${ev.r.idx}|${ev.person}|${ev.item}`;
        const g = groups.get(k);
        if (g) g.push(ev);
        else groups.set(k, [ev]);
      }
      const byEnc = new Map<string, { r: CompiledRule; enc: number; refs: LineRef[]; v: any }>();
      for (const g of groups.values()) {
        g.sort((a, b) => a.day - b.day);
        let lo = 0;
        for (let hi = 0; hi < g.length; hi++) {
          while (g[hi]!.day - g[lo]!.day >= g[hi]!.v.periodDays) lo++;
          if (hi - lo + 1 > g[hi]!.v.maxTimes) {
            const k = `${g[hi]!.r.idx}|${g[hi]!.ref.enc}`;
            const b = byEnc.get(k) ?? { r: g[hi]!.r, enc: g[hi]!.ref.enc, refs: [], v: g[hi]!.v };
            b.refs.push(g[hi]!.ref);
            byEnc.set(k, b);
          }
        }
      }
      for (const b of byEnc.values()) emit(b.r, encs[b.enc]!, b.refs, b.refs.reduce((s, z) => s + z.amountFen, 0), { maxTimes: b.v.maxTimes, periodDays: b.v.periodDays, knowledge: b.v.src });
    }

    for (const ev of secondEv) {
      let firstLine = false;
      const g = historyGroupOf[ev.item]!; // -1: no ATC, so no history (as before)
      for (let x = g < 0 || ev.person >= pHead.length ? -1 : pHead[ev.person]!; x >= 0 && !firstLine; x = hist[x + 3]!) if (hist[x] === g && hist[x + 1] !== ev.item && hist[x + 2]! <= ev.day) firstLine = true;
      if (!firstLine) emit(ev.r, encs[ev.ref.enc]!, [ev.ref], ev.ref.amountFen, { itemName: plan.items[ev.item]!.name, atcGroup: ev.atc, knowledge: ev.src, day: dayToIso(ev.day) });
    }
    return mergeSameRule(out);
  }

  // The global part needs only what the doctor and peer rules read: the total (summed in line order,
  // as the evaluator does) and the drug lines (费用类别 drug: the evaluator's BIT.drug test).
  const gf = { totalFen: 0, bucketFen: { exam: 0 }, drugs: [] as number[], admitDay: 0, dischargeDay: 0 };
  function globalFeatures(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): typeof gf {
    gf.admitDay = dayNumber(ctx.encounter.admitDate);
    gf.dischargeDay = dayNumber(ctx.encounter.dischargeDate);
    gf.totalFen = 0;
    gf.drugs.length = 0;
    for (let i = from; i < to; i++) {
      gf.totalFen += cols.amountFen[i]!;
      if (cols.category[i] === 0) gf.drugs.push(i);
    }
    return gf;
  }

  return {
    add,
    addFacts,
    finish,
    get encounters() {
      return encs.length;
    },
    get lines() {
      return lineCount;
    },
  };
}

/**
 * Append-only typed column (doctor–drug events run to millions: no boxed arrays). Values go into
 * fixed-size chunks — growing never copies what is there — and view() joins them once, in finish().
 */
function growInt(): Grow<Int32Array> {
  return grow((n) => new Int32Array(n));
}
function growFloat(): Grow<Float64Array> {
  return grow((n) => new Float64Array(n));
}
interface Grow<A extends Int32Array | Float64Array> {
  push(v: number): void;
  append(src: ArrayLike<number>): void;
  view(): A;
}
const CHUNK = 1 << 18;
function grow<A extends Int32Array | Float64Array>(make: (n: number) => A): Grow<A> {
  const full: A[] = [];
  let a = make(CHUNK);
  let n = 0;
  const next = (): void => {
    full.push(a);
    a = make(CHUNK);
    n = 0;
  };
  return {
    push(v: number): void {
      if (n === CHUNK) next();
      a[n++] = v;
    },
    append(src: ArrayLike<number>): void {
      for (let k = 0; k < src.length; ) {
        if (n === CHUNK) next();
        const m = Math.min(CHUNK - n, src.length - k);
        if (ArrayBuffer.isView(src)) a.set((src as unknown as A).subarray(k, k + m), n);
        else for (let j = 0; j < m; j++) a[n + j] = src[k + j]!;
        n += m;
        k += m;
      }
    },
    view(): A {
      if (full.length === 0) return a.subarray(0, n) as A;
      const out = make(full.length * CHUNK + n);
      full.forEach((c, i) => out.set(c, i * CHUNK));
      out.set(a.subarray(0, n), full.length * CHUNK);
      // later views (one finish per batch) need not join again
      full.length = 0;
      a = out;
      n = out.length;
      return out;
    },
  };
}

/** One violation per (rule, encounter): merge lines and amounts of repeated hits. */
/**
 * An encounter's kind, level and scheme bits (compile.ts's helpers) packed a byte each — each list
 * has ≤ 8 values (model.ts); an unknown value has no bit, so no rule applies to it.
 */
function scopeBits(e: Encounter, level: string): number {
  return (kindBit(e.kind) & 0xff) | ((levelBit(level) & 0xff) << 8) | ((schemeBit(e.scheme) & 0xff) << 16);
}
/** Does the rule's scope (kinds, institution levels, schemes) include packed scopeBits? */
function scopeMatches(r: CompiledRule, bits: number): boolean {
  return !!(bits & r.kindMask) && !!((bits >> 8) & r.levelMask) && !!((bits >> 16) & r.schemeMask);
}

/** out[k] = values[index[k]] (its own small function: the optimiser compiles it at once, not a huge caller's loop). */
function gather(values: readonly number[], index: Int32Array): Int32Array {
  const out = new Int32Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]!]!;
  return out;
}

/**
 * 医师高频开药: the prescribing events (doctor, drug, minute, person; one per drug line) that lie in a
 * window of `win` minutes in which one doctor prescribed one drug to ≥ `minPatients` distinct persons.
 * Returns the event numbers in order of first flagging: pair by pair, in time order within a pair
 * (ties in event order) — the order the evidence lists them in.
 */
function flagPrescribingBursts(
  doctor: Int32Array, drug: Int32Array, minute: Int32Array, person: Int32Array,
  nDoctors: number, nDrugs: number, nPersons: number, win: number, minPatients: number,
): number[] {
  // counting sort by (doctor, drug) pair
  let pairOf: Int32Array;
  let nPairs: number;
  if (nDoctors * nDrugs < 50_000_000) {
    nPairs = nDoctors * nDrugs;
    pairOf = new Int32Array(doctor.length);
    for (let k = 0; k < doctor.length; k++) pairOf[k] = doctor[k]! * nDrugs + drug[k]!;
  } else {
    const intern = new Map<string, number>();
    pairOf = Int32Array.from(doctor, (d, k) => {
      const key = `${d}|${drug[k]}`;
      let q = intern.get(key);
      if (q === undefined) intern.set(key, (q = intern.size));
      return q;
    });
    nPairs = intern.size;
  }
  const start = new Int32Array(nPairs + 1);
  for (let k = 0; k < pairOf.length; k++) start[pairOf[k]! + 1]!++;
  for (let q = 0; q < nPairs; q++) start[q + 1]! += start[q]!;
  const fill = start.slice(0, nPairs);
  const byPair = new Int32Array(pairOf.length);
  for (let k = 0; k < pairOf.length; k++) byPair[fill[pairOf[k]!]!++] = k;
  const flaggedMark = new Uint8Array(pairOf.length);
  const flagged: number[] = [];
  // prescriptions per person inside the window, and how many persons have any (all back to 0 after each pair)
  const perPerson = new Int32Array(nPersons);
  for (let q = 0; q < nPairs; q++) {
    const a = start[q]!;
    const b = start[q + 1]!;
    if (b - a < minPatients) continue;
    timeOrder(byPair, a, b, minute);
    let persons = 0;
    let lo = a;
    let markedTo = a - 1; // events up to here are flagged already (windows only move forward)
    for (let hi = a; hi < b; hi++) {
      const h = byPair[hi]!;
      if (perPerson[person[h]!]!++ === 0) persons++;
      while (minute[h]! - minute[byPair[lo]!]! > win) {
        if (--perPerson[person[byPair[lo]!]!]! === 0) persons--;
        lo++;
      }
      if (persons >= minPatients) {
        for (let k = Math.max(lo, markedTo + 1); k <= hi; k++) {
          const ev = byPair[k]!;
          if (!flaggedMark[ev]) {
            flaggedMark[ev] = 1;
            flagged.push(ev);
          }
        }
        markedTo = hi;
      }
    }
    for (let k = lo; k < b; k++) perPerson[person[byPair[k]!]!]!--;
  }
  return flagged;
}

/** Sorts events[a, b) by minute, ties kept in their order: insertion sort for the usual few, a keyed native sort beyond. */
function timeOrder(events: Int32Array, a: number, b: number, minute: Int32Array): void {
  if (b - a <= 64) {
    for (let k = a + 1; k < b; k++) {
      const e = events[k]!;
      let j = k;
      while (j > a && minute[events[j - 1]!]! > minute[e]!) {
        events[j] = events[j - 1]!;
        j--;
      }
      events[j] = e;
    }
    return;
  }
  const keyed = new Float64Array(b - a);
  for (let k = a; k < b; k++) keyed[k - a] = minute[events[k]!]! * 4_194_304 + (k - a);
  keyed.sort();
  const sorted = Int32Array.from(keyed, (x) => events[a + (x % 4_194_304)]!);
  events.set(sorted, a);
}

function mergeSameRule(vs: Violation[]): Violation[] {
  const m = new Map<string, Violation>();
  for (const v of vs) {
    const k = `${v.ruleId}|${v.encounterId}`;
    const have = m.get(k);
    if (!have) m.set(k, v);
    else {
      for (const id of v.lineIds) if (!have.lineIds.includes(id)) have.lineIds.push(id);
      have.amountFen += v.amountFen;
    }
  }
  return [...m.values()];
}
