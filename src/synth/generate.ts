/**
 * The synthetic region generator (pure: no I/O, no clock, no Math.random). It walks the calendar
 * day by day, creates inpatient stays from ADRG templates and outpatient / online visits, and hands
 * every row to a sink as soon as it exists, so a writer can stream millions of rows in constant memory.
 *
 * Clean baseline: every line passes `cleanCheck` (sex and age restrictions, duplicate-charge pairs,
 * examination indications, per-day quantity limits); coded CC/MCC diagnoses of the evidence table get
 * an evidence item; a doctor sees at most 3 encounters per clock hour (so never ≥ 8 patients within
 * 60 minutes); a person is never readmitted to the same institution within 15 days with the same
 * ICD-10 category; every inpatient day carries a drug or service line. Irregularities are then
 * injected one per encounter, each violating exactly its own pattern (docs/irregularities.md), and
 * labelled. A small share of deliberately bad rows (never labelled) exercises the importer.
 */
import { COST_ITEMS, lineAmountFen, roundFen, IRREGULARITY_TYPES } from '../domain/index.js';
import type {
  BenefitType, CatalogItem, ChargeCategory, CodeMapping, Department, DepartmentCost, DischargeType, EncounterKind,
  Institution, IrregularityType, Label, PayClass, PersonType, Practitioner, Scheme, Sex,
} from '../domain/index.js';
import { makeIdNumber } from './idnumber.js';
import { Prng, cumulative } from './prng.js';
import { buildRegionStatic, resolveDept, type RegionDept, type RegionInstitution } from './region.js';
import type { ExamIndication, InpatientTemplate, SeedItem, SynthSeed, VisitTemplate } from './seed.js';

export const GENERATOR_VERSION = '1.0.0';

export interface SynthOptions {
  hospitals: number;
  inpatients: number;
  outpatients: number;
  years: number;
  seed: number;
  /** last day of the history (ISO date); default 2025-12-31 so output never depends on the clock */
  endDate?: string;
  /** 6-digit pooling-region code; default 990100 (synthetic: province 99 does not exist) */
  regionCode?: string;
  /** share of `outpatients` generated as online visits at the internet hospital; default 0.1 */
  onlineShare?: number;
  /** multiplies every injection rate; default 1 (0 = clean region) */
  injectionScale?: number;
  /** multiplies the bad-row rates; default 1 (0 = no bad rows) */
  badRowScale?: number;
}

/** encounters.csv row (the person is still the synthetic id number; ingest pseudonymises it) */
export interface EncounterRow {
  id: string;
  institutionId: string;
  departmentId: string;
  personIdNumber: string;
  doctorId: string;
  kind: EncounterKind;
  benefitType: BenefitType;
  scheme: Scheme;
  sex: Sex;
  ageYears: number;
  ageDays: number;
  birthWeightGrams: number;
  admitDate: string;
  dischargeDate: string;
  dischargeType: DischargeType;
  losDays: number;
  diagnoses: string[];
  procedures: string[];
}

/** settlement-lines.csv row (`itemCode` may be '' when `localCode` resolves through code-map.csv) */
export interface LineRow {
  id: string;
  encounterId: string;
  institutionId: string;
  localCode: string;
  itemCode: string;
  itemName: string;
  category: ChargeCategory;
  payClass: PayClass;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
  doctorId: string;
  departmentId: string;
  chargedAt: string;
}

export interface PersonRow {
  idNumber: string;
  sex: Sex;
  birthDate: string;
  scheme: Scheme;
  personType: PersonType;
  regionCode: string;
}

/** A deliberately bad row: `row` is the 1-based data row (header excluded), `line` the physical line. */
export interface BadRow {
  file: string;
  row: number;
  line: number;
  id: string;
  reason: string;
}

export interface RegionSink {
  institution(r: Institution): void;
  department(r: Department): void;
  practitioner(r: Practitioner): void;
  catalogItem(r: CatalogItem): void;
  codeMapping(r: CodeMapping): void;
  encounter(r: EncounterRow): void;
  line(r: LineRow): void;
  departmentCost(r: DepartmentCost): void;
  person(r: PersonRow): void;
  label(l: Label): void;
  badRow(b: BadRow): void;
}

export interface GenerationSummary {
  generator: string;
  generatorVersion: string;
  seedDataVersion: string;
  seed: number;
  parameters: Required<SynthOptions>;
  dateRange: { from: string; to: string };
  counts: Record<string, number>;
  labels: Record<IrregularityType, number>;
  labelledEncounters: number;
  badRows: Record<string, number>;
  /** doctor-hour bookings that could not respect the 3-per-hour density cap (0 = baseline guaranteed clean) */
  densityOverflows: number;
}

// ── helpers ──

const DAY_MS = 86_400_000;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

interface DayInfo {
  iso: string;
  y: number;
  m: number;
  d: number;
  month: number; // month index from the start
  heating: boolean; // 供暖季 Nov–Mar
}

/** Encounter context the clean checks need. */
interface Ctx {
  sex: Sex;
  age: number;
  diagnoses: string[];
}

interface BuiltLine extends LineRow {
  day: number; // day index
}

/** The file row of a built line (an explicit literal: object rest-spread is slow on this hot path). */
const toRow = (l: BuiltLine): LineRow => ({
  id: l.id, encounterId: l.encounterId, institutionId: l.institutionId, localCode: l.localCode, itemCode: l.itemCode, itemName: l.itemName,
  category: l.category, payClass: l.payClass, quantity: l.quantity, unitPriceFen: l.unitPriceFen, amountFen: l.amountFen, doctorId: l.doctorId,
  departmentId: l.departmentId, chargedAt: l.chargedAt,
});

/** Rates per encounter (inpatient, outpatient) of each injected type; see docs/synth.md. */
const INPATIENT_RATES: [IrregularityType, number][] = [
  ['split-admission', 0.03],
  ['phantom-stay', 0.06],
  ['upcoding', 0.04],
  ['duplicate-charge', 0.015],
  ['over-price-cap', 0.01],
  ['over-frequency', 0.015],
  ['sex-restricted', 0.008],
  ['age-restricted', 0.008],
  ['over-examination', 0.01],
  ['drug-substitution', 0.02],
];
const OUTPATIENT_RATES: [IrregularityType, number][] = [
  ['duplicate-charge', 0.004],
  ['over-price-cap', 0.004],
  ['over-frequency', 0.003],
  ['sex-restricted', 0.004],
  ['age-restricted', 0.004],
  ['over-examination', 0.004],
  ['drug-substitution', 0.006],
];
/** 串换: the ward dispensed X (key), the bill says Y (value, higher price). */
const SUBSTITUTIONS: Record<string, string> = {
  MFD0001: 'MFD0021',
  MFD0027: 'MFD0002',
  MFD0012: 'MFD0023',
  MFD0033: 'MFD0014',
  MFD0017: 'MFD0020',
  MFD0015: 'MFD0037',
  MFD0041: 'MFD0003',
};
/** Doctor density cap: encounters per doctor per clock hour (2 adjacent hours < 8 patients). */
const HOUR_CAP = 3;
/** Baseline charges happen before 20:00; high-frequency clusters at 21:00–21:59. */
const LAST_BASELINE_HOUR = 19;
const CLUSTER_HOUR = 21;

const ROLE = {
  bed: '001109000010000',
  icuBed: '001109000030000',
  nursing1: '001201000030000',
  nursing2: '001201000040000',
  nursing3: '001201000050000',
  heating: '001107000010000',
  inpatientConsult: '001102000050000',
  emergencyConsult: '001102000030000',
  emergencyMonitor: '001103000010000',
  outpatientConsult: 'MFS0020',
  onlineConsult: 'MFS0021',
  cbc: 'MFS0022',
  urine: 'MFS0023',
  liver: 'MFS0024',
  renal: 'MFS0025',
  ecg: 'MFS0026',
  chestXray: 'MFS0028',
  infusion: 'MFS0029',
  dressing: 'MFS0031',
  coag: 'MFS0036',
  anaesGeneral: 'MFS0032',
  anaesSpinal: 'MFS0033',
  anaesLocal: '003301000010000',
  anaesMonitor: '003301000150000',
  grade: ['', 'MFS0041', 'MFS0042', 'MFS0043', 'MFS0044'],
  infusionSet: 'MFC0001',
  syringe: 'MFC0002',
  cannula: 'MFC0003',
  propofol: 'MFD0026',
  lidocaine: 'MFD0025',
} as const;

const IV_UNITS = new Set(['支', '袋', '瓶']);
/** Template services billed every day of the stay: 雾化吸入, 胎心监测, 小儿头皮静脉输液. */
const DAILY_SERVICES = new Set(['MFS0035', '003112010260000', '001204000070000']);

// ── the generator ──

export function generateRegionInto(seed: SynthSeed, options: SynthOptions, sink: RegionSink): GenerationSummary {
  const opts: Required<SynthOptions> = {
    endDate: '2025-12-31',
    regionCode: '990100',
    onlineShare: 0.1,
    injectionScale: 1,
    badRowScale: 1,
    ...options,
  };
  validateOptions(opts);
  const rng = new Prng(opts.seed);

  // Calendar.
  const end = Date.parse(`${opts.endDate}T00:00:00Z`);
  const endD = new Date(end);
  const start = Date.UTC(endD.getUTCFullYear() - opts.years, endD.getUTCMonth(), endD.getUTCDate() + 1);
  const nDays = Math.round((end - start) / DAY_MS) + 1;
  const days: DayInfo[] = [];
  const startDate = new Date(start);
  for (let i = 0; i < nDays; i++) {
    const t = new Date(start + i * DAY_MS);
    const y = t.getUTCFullYear();
    const m = t.getUTCMonth() + 1;
    const d = t.getUTCDate();
    days.push({ iso: `${y}-${pad2(m)}-${pad2(d)}`, y, m, d, month: (y - startDate.getUTCFullYear()) * 12 + (m - 1 - startDate.getUTCMonth()), heating: m >= 11 || m <= 3 });
  }
  const nMonths = days[nDays - 1]!.month + 1;

  // Catalog.
  const items = new Map<string, SeedItem>();
  for (const it of seed.catalog.items) items.set(it.code, it);
  const item = (code: string): SeedItem => {
    const it = items.get(code);
    if (!it) throw new Error(`synth: catalog has no item ${code}`);
    return it;
  };
  const partners = new Map<string, Set<string>>();
  for (const p of seed.catalog.duplicatePairs) {
    if (!partners.has(p.a)) partners.set(p.a, new Set());
    if (!partners.has(p.b)) partners.set(p.b, new Set());
    partners.get(p.a)!.add(p.b);
    partners.get(p.b)!.add(p.a);
  }
  const exams = new Map<string, ExamIndication>();
  for (const e of seed.exams.entries) exams.set(e.itemCode, e);
  const examList = seed.exams.entries;
  const evidenceByPrefix = new Map(seed.evidence.entries.map((e) => [e.diagnosisPrefix, e]));

  // Region.
  const totalEncounters = opts.inpatients + opts.outpatients;
  const scale = Math.max(1, Math.sqrt(totalEncounters / 55_000));
  const region = buildRegionStatic(rng, opts.hospitals, opts.regionCode, scale);
  const { institutions, departments, practitioners } = region;
  const hospitalsList = institutions.filter((i) => i.kind === 'hospital');
  const primaryCare = institutions.find((i) => i.kind === 'primary-care')!;
  const internet = institutions.find((i) => i.kind === 'internet-hospital')!;

  const counts: Record<string, number> = {
    'institutions.csv': 0, 'departments.csv': 0, 'practitioners.csv': 0, 'persons.csv': 0, 'catalog.csv': 0,
    'code-map.csv': 0, 'encounters.csv': 0, 'settlement-lines.csv': 0, 'department-costs.csv': 0, 'labels.jsonl': 0, 'bad-rows.jsonl': 0,
  };
  for (const inst of institutions) {
    sink.institution({ id: inst.id, name: inst.name, level: inst.level, kind: inst.kind, regionCode: inst.regionCode });
    counts['institutions.csv']!++;
  }
  for (const d of departments) {
    sink.department({ id: d.id, institutionId: d.institutionId, name: d.name, deptCode: d.deptCode, costCategory: d.costCategory, parentId: d.parentId, staffCount: d.staffCount, floorAreaM2: d.floorAreaM2, beds: d.beds });
    counts['departments.csv']!++;
  }
  for (const p of practitioners) {
    sink.practitioner(p);
    counts['practitioners.csv']!++;
  }
  for (const it of seed.catalog.items) {
    sink.catalogItem({
      code: it.code, name: it.name, category: it.category, payClass: it.payClass, unit: it.unit, priceCapFen: it.priceCapFen,
      selfPayFirstPermille: it.selfPayFirstPermille, restrictions: { ...it.restrictions },
      // the synthetic catalog must be in force over the whole generated history
      effectiveFrom: seed.catalog.effectiveFrom < days[0]!.iso ? seed.catalog.effectiveFrom : days[0]!.iso, effectiveTo: seed.catalog.effectiveTo,
    });
    counts['catalog.csv']!++;
  }

  // Code map (tier 1 → tier 2): every drug and consumable and a third of the services get a local code.
  const localOf: Map<string, string>[] = institutions.map(() => new Map());
  for (const inst of institutions) {
    const codes = seed.catalog.items.filter((it) => it.category === 'drug' || it.category === 'consumable' || rng.chance(0.33)).map((it) => it.code);
    rng.shuffle(codes);
    const seq = { drug: 0, consumable: 0, service: 0, facility: 0 };
    const prefix = { drug: 'YP', consumable: 'HC', service: 'ZL', facility: 'FW' };
    for (const code of codes) {
      const cat = item(code).category;
      const local = `${prefix[cat]}${String(++seq[cat] + inst.index * 7).padStart(5, '0')}`;
      localOf[inst.index]!.set(code, local);
      sink.codeMapping({ institutionId: inst.id, localCode: local, nationalCode: code });
      counts['code-map.csv']!++;
    }
  }

  // Persons: created on demand (written at the end), bucketed by sex and age at the end date.
  interface Person { idNumber: string; sex: Sex; birthY: number; birthM: number; birthD: number; birthIso: string; scheme: Scheme; personType: PersonType }
  const persons: Person[] = [];
  const buckets: [number[][], number[][]] = [Array.from({ length: 101 }, () => []), Array.from({ length: 101 }, () => [])];
  const seqByBirth = new Map<string, number>();
  const endY = endD.getUTCFullYear();
  const addPerson = (sex: Sex, ageAtEnd: number): number => {
    let iso = '';
    for (let tries = 0; tries < 20; tries++) {
      const back = Math.floor(ageAtEnd * 365.25) + rng.int(0, 364);
      const t = new Date(end - back * DAY_MS);
      iso = `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
      if ((seqByBirth.get(iso) ?? 0) < 450) break;
    }
    const n = seqByBirth.get(iso) ?? 0;
    seqByBirth.set(iso, n + 1);
    const idNumber = makeIdNumber(opts.regionCode, iso, 2 * n + 2, sex);
    const [by, bm, bd] = iso.split('-').map(Number) as [number, number, number];
    const age = endY - by;
    let scheme: Scheme;
    let personType: PersonType;
    if (age < 18) {
      scheme = 'resident';
      personType = age >= 6 ? 'student' : 'child';
    } else if (rng.chance(age < 60 ? 0.55 : 0.4)) {
      scheme = 'employee';
      personType = age < (sex === '1' ? 60 : 55) ? 'in-service' : 'retired';
    } else {
      scheme = 'resident';
      personType = age >= 60 ? 'elderly' : age <= 22 && rng.chance(0.5) ? 'student' : 'adult';
    }
    const idx = persons.length;
    persons.push({ idNumber, sex, birthY: by, birthM: bm, birthD: bd, birthIso: iso, scheme, personType });
    buckets[sex === '1' ? 0 : 1][Math.min(100, ageAtEnd)]!.push(idx);
    return idx;
  };
  const AGE_BANDS = cumulative([14, 38, 24, 19, 5]);
  const BAND_RANGES: [number, number][] = [[0, 14], [15, 44], [45, 59], [60, 79], [80, 95]];
  const poolSize = Math.ceil(opts.inpatients * 0.6 + opts.outpatients * 0.3) + 50;
  for (let i = 0; i < poolSize; i++) {
    const [lo, hi] = BAND_RANGES[rng.weighted(AGE_BANDS)]!;
    addPerson(rng.chance(0.5) ? '1' : '2', rng.int(lo, hi));
  }
  const ageAt = (p: Person, day: DayInfo): number => day.y - p.birthY - (day.m < p.birthM || (day.m === p.birthM && day.d < p.birthD) ? 1 : 0);
  /** A person of this sex whose age on `day` is in [lo, hi], passing `accept`. Creates one if the pool has none. */
  const pickPerson = (sex: Sex, lo: number, hi: number, dayIdx: number, accept: (p: number) => boolean, skew = 1): number => {
    const day = days[dayIdx]!;
    const yearsToEnd = endY - day.y;
    const b = buckets[sex === '1' ? 0 : 1];
    for (let attempt = 0; attempt < 40; attempt++) {
      const a = lo + Math.floor((hi - lo + 1) * Math.pow(rng.next(), skew));
      const list = b[Math.min(100, a + yearsToEnd + (rng.chance(0.5) ? 1 : 0))]!;
      if (list.length === 0) continue;
      const p = list[Math.floor(rng.next() * list.length)]!;
      const age = ageAt(persons[p]!, day);
      if (age >= lo && age <= hi && accept(p)) return p;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const p = addPerson(sex, Math.min(100, rng.int(lo, hi) + yearsToEnd + 1));
      const age = ageAt(persons[p]!, day);
      if (age >= lo && age <= hi && accept(p)) return p;
    }
    throw new Error(`synth: cannot find a person aged ${lo}–${hi} on ${day.iso}`);
  };

  // Inpatient stays per person (split-admission guard) and doctor-hour bookings (density guard).
  interface Stay { inst: number; a: number; d: number; cat: string }
  const stays = new Map<number, Stay[]>();
  const canStay = (p: number, inst: number, a: number, d: number, cat: string): boolean => {
    for (const s of stays.get(p) ?? []) {
      if (!(d < s.a || a > s.d)) return false; // overlapping stays
      if (s.inst === inst && s.cat === cat) {
        const gap = a > s.d ? a - s.d : s.a - d;
        if (gap <= 15) return false;
      }
    }
    return true;
  };
  const addStay = (p: number, s: Stay): void => {
    const list = stays.get(p);
    if (list) list.push(s);
    else stays.set(p, [s]);
  };
  const bookings = new Map<number, Map<number, number>>();
  let densityOverflows = 0;
  /** Book one encounter-hour for a doctor on a day; returns the hour or -1 when every allowed hour is full. */
  const tryBook = (doctor: number, dayIdx: number, lo: number, hi: number): number => {
    let m = bookings.get(dayIdx);
    if (!m) bookings.set(dayIdx, (m = new Map()));
    const first = rng.int(lo, hi);
    for (let k = 0; k <= hi - lo; k++) {
      const h = lo + ((first - lo + k) % (hi - lo + 1));
      const key = doctor * 24 + h;
      const n = m.get(key) ?? 0;
      if (n < HOUR_CAP) {
        m.set(key, n + 1);
        return h;
      }
    }
    return -1;
  };
  /** Book a doctor of the department (preferring `preferred`) for an encounter on a day. */
  const bookDoctor = (dept: RegionDept, preferred: number, dayIdx: number, lo: number, hi: number): { doctor: number; hour: number } => {
    const order = [preferred, ...dept.doctors.filter((d) => d !== preferred)];
    for (const [lo2, hi2] of [[lo, hi], [0, LAST_BASELINE_HOUR]] as const) {
      for (const doc of order) {
        const h = tryBook(doc, dayIdx, lo2, hi2);
        if (h >= 0) return { doctor: doc, hour: h };
      }
    }
    densityOverflows++;
    return { doctor: preferred, hour: rng.int(lo, hi) };
  };

  // Revenue per department and month (for department costs).
  const revenue = { drug: new Float64Array(departments.length * nMonths), material: new Float64Array(departments.length * nMonths), total: new Float64Array(departments.length * nMonths) };

  const labelCounts = Object.fromEntries(IRREGULARITY_TYPES.map((t) => [t, 0])) as Record<IrregularityType, number>;
  let labelledEncounters = 0;
  const badRows: Record<string, number> = {};
  const emitLabel = (type: IrregularityType, encounterIds: string[], lineIds: string[]): void => {
    sink.label({ type, encounterIds, lineIds });
    labelCounts[type]++;
    labelledEncounters += encounterIds.length;
    counts['labels.jsonl']!++;
  };
  const badPerFile: Record<string, number> = {};
  /** Keep every file's bad share under 0.4 % (the contract says < 0.5 %), even for tiny regions. */
  const allowBad = (file: string): boolean => ((badPerFile[file] ?? 0) + 1) / (counts[file]! + 1) < 0.004;
  const emitBad = (file: string, id: string, reason: string): void => {
    badPerFile[file] = (badPerFile[file] ?? 0) + 1;
    const row = counts[file]! + 1; // the bad row is written right after this call
    sink.badRow({ file, row, line: row + 1, id, reason });
    badRows[reason] = (badRows[reason] ?? 0) + 1;
    counts['bad-rows.jsonl']!++;
  };

  let encSeq = 0;
  let lineSeq = 0;
  const encId = (kind: EncounterKind): string => `${kind === 'inpatient' ? 'IP' : kind === 'outpatient' ? 'OP' : 'ON'}${String(++encSeq).padStart(9, '0')}`;
  const priceAt = (inst: RegionInstitution, it: SeedItem): number =>
    inst.kind === 'hospital' || inst.kind === 'internet-hospital' ? (inst.levelNum === 3 ? it.priceCapFen : roundFen(it.priceCapFen * (inst.levelNum === 2 ? 0.95 : 0.9), 'down')) : roundFen(it.priceCapFen * 0.9, 'down');

  /** Collects the lines of one encounter and keeps them clean. */
  class Bill {
    lines: BuiltLine[] = [];
    private byDayItem = new Map<string, BuiltLine>();
    codes = new Map<string, number>();
    minute = new Map<number, number>();
    constructor(
      readonly inst: RegionInstitution,
      readonly dept: RegionDept,
      readonly encounterId: string,
      /** day index of the admission / visit: line days are relative to it */
      readonly base: number,
      readonly ctx: Ctx,
      readonly slot: (day: number) => { doctor: number; hour: number },
    ) {}

    /** Why `code` may not be billed in the baseline ('' = it may). */
    blocked(code: string, day: number, quantity: number, ignore: 'sex' | 'age' | 'indication' | 'quantity' | 'pair' | '' = ''): string {
      const it = item(code);
      const r = it.restrictions;
      if (ignore !== 'sex' && r.sex && r.sex !== this.ctx.sex) return 'sex';
      if (ignore !== 'age' && ((r.maxAgeYears !== undefined && this.ctx.age > r.maxAgeYears) || (r.minAgeYears !== undefined && this.ctx.age < r.minAgeYears))) return 'age';
      if (ignore !== 'pair') for (const p of partners.get(code) ?? []) if (this.codes.has(p)) return 'pair';
      const exam = exams.get(code);
      if (ignore !== 'indication' && exam && !this.ctx.diagnoses.some((d) => exam.indicationPrefixes.some((p) => d.startsWith(p)))) return 'indication';
      const prev = this.byDayItem.get(`${day}|${code}`);
      if (ignore !== 'quantity' && r.maxQuantityPerDay !== undefined && (prev?.quantity ?? 0) + quantity > r.maxQuantityPerDay) return 'quantity';
      return '';
    }

    /** Add a clean line (merging into the same item's line of that day); returns it or undefined when blocked. */
    add(code: string, day: number, quantity: number, at?: string): BuiltLine | undefined {
      if (this.blocked(code, day, quantity) !== '') return undefined;
      const prev = this.byDayItem.get(`${day}|${code}`);
      if (prev) {
        prev.quantity += quantity;
        prev.amountFen = lineAmountFen(prev.quantity, prev.unitPriceFen);
        return prev;
      }
      return this.raw(code, day, quantity, at);
    }

    /** Add a line without the clean checks (injections and the facility schedule). */
    raw(code: string, day: number, quantity: number, at?: string): BuiltLine {
      const it = item(code);
      const { doctor, hour } = this.slot(day);
      const time = at ?? this.nextTime(day, hour);
      const unitPriceFen = priceAt(this.inst, it);
      let localCode = '';
      let itemCode = code;
      const local = localOf[this.inst.index]!.get(code);
      if (local && (it.category === 'drug' || it.category === 'consumable' || it.category === 'service') && rng.chance(0.3)) {
        localCode = local;
        if (rng.chance(0.5)) itemCode = '';
      }
      const line: BuiltLine = {
        id: '',
        encounterId: this.encounterId,
        institutionId: this.inst.id,
        localCode,
        itemCode,
        itemName: it.name,
        category: it.category,
        payClass: it.payClass,
        quantity,
        unitPriceFen,
        amountFen: lineAmountFen(quantity, unitPriceFen),
        doctorId: practitioners[doctor]!.id,
        departmentId: this.dept.id,
        chargedAt: `${days[this.base + day]!.iso}T${time}`,
        day,
      };
      this.lines.push(line);
      this.byDayItem.set(`${day}|${code}`, line);
      this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
      return line;
    }

    private nextTime(day: number, hour: number): string {
      const m = this.minute.get(day) ?? rng.int(0, 25);
      this.minute.set(day, Math.min(59, m + rng.int(1, 3)));
      return `${pad2(hour)}:${pad2(Math.min(59, m))}:00`;
    }

  }
  const localReverse: Map<string, string>[] = localOf.map((m) => new Map([...m].map(([code, local]) => [local, code])));
  const codeOfLocal = (inst: RegionInstitution, local: string): string => localReverse[inst.index]!.get(local) ?? '';
  const lineCode = (b: Bill, l: LineRow): string => l.itemCode || codeOfLocal(b.inst, l.localCode);

  /** Emit an encounter and its lines (ids assigned in order), accumulating department revenue. */
  const emitEncounter = (enc: EncounterRow, bill: Bill): void => {
    sink.encounter(enc);
    counts['encounters.csv']!++;
    bill.lines.sort((x, y) => (x.chargedAt < y.chargedAt ? -1 : x.chargedAt > y.chargedAt ? 1 : 0));
    for (const l of bill.lines) {
      l.id = `L${String(++lineSeq).padStart(10, '0')}`;
      sink.line(toRow(l));
      counts['settlement-lines.csv']!++;
      const k = bill.dept.index * nMonths + days[bill.base + l.day]!.month;
      revenue.total[k]! += l.amountFen;
      if (l.category === 'drug') revenue.drug[k]! += l.amountFen;
      if (l.category === 'consumable') revenue.material[k]! += l.amountFen;
    }
  };

  /** One deliberately bad copy of a drug line of a clean, unlabelled encounter (after it was emitted). */
  const maybeBadLine = (bill: Bill): void => {
    if (!rng.chance(0.004 * opts.badRowScale) || !allowBad('settlement-lines.csv')) return;
    const src = bill.lines.find((l) => l.category === 'drug' && item(lineCode(bill, l)).restrictions.maxQuantityPerDay === undefined);
    if (!src) return;
    const id = `L${String(++lineSeq).padStart(10, '0')}`;
    const row = { ...toRow(src), id };
    const kind = rng.int(0, 2);
    let reason: string;
    if (kind === 0) {
      row.quantity = 0;
      row.amountFen = 0;
      reason = 'quantity-not-positive';
    } else if (kind === 1) {
      row.amountFen = lineAmountFen(row.quantity, row.unitPriceFen) * 2 + 100;
      reason = 'amount-mismatch';
    } else {
      row.localCode = `XX${String(lineSeq).padStart(8, '0')}`;
      row.itemCode = '';
      reason = 'unmapped-local-code';
    }
    emitBad('settlement-lines.csv', id, reason);
    sink.line(row);
    counts['settlement-lines.csv']!++;
  };

  // ── injections (each violates exactly its own pattern) ──


  const injectPriceCap = (bill: Bill): boolean => {
    const cands = bill.lines.filter((l) => l.category !== 'facility');
    if (cands.length === 0) return false;
    const l = rng.pick(cands);
    const cap = item(lineCode(bill, l)).priceCapFen;
    l.unitPriceFen = cap + Math.max(1, roundFen(cap * (0.05 + rng.next() * 0.45)));
    l.amountFen = lineAmountFen(l.quantity, l.unitPriceFen);
    markLine(l);
    return true;
  };

  // Line ids are assigned at emission; injections mark lines and the label is resolved after.
  const marked = new Set<BuiltLine>();
  const markLine = (l: BuiltLine): void => {
    marked.add(l);
  };

  const injectFrequency = (bill: Bill): boolean => {
    const cands = bill.lines.filter((l) => item(lineCode(bill, l)).restrictions.maxQuantityPerDay !== undefined);
    if (cands.length === 0) return false;
    const l = rng.pick(cands);
    const max = item(lineCode(bill, l)).restrictions.maxQuantityPerDay!;
    l.quantity = max + (max >= 24 ? rng.int(2, 6) : rng.int(1, 2));
    l.amountFen = lineAmountFen(l.quantity, l.unitPriceFen);
    markLine(l);
    return true;
  };

  const injectDuplicate = (bill: Bill): boolean => {
    const options: { code: string; base: BuiltLine }[] = [];
    for (const l of bill.lines) {
      const code = lineCode(bill, l);
      for (const p of partners.get(code) ?? []) {
        // the partner must be clean apart from the pair (restrictions, indications, quantity)
        if (!bill.codes.has(p) && bill.blocked(p, l.day, 1, 'pair') === '') options.push({ code: p, base: l });
      }
    }
    if (options.length === 0) return false;
    const { code, base } = rng.pick(options);
    const [hh, mm] = base.chargedAt.slice(11, 16).split(':').map(Number) as [number, number];
    const line = bill.raw(code, base.day, 1, `${pad2(hh)}:${pad2(Math.min(59, mm + 1))}:00`);
    // the later (duplicated) line must sort after the base line
    if (line.chargedAt < base.chargedAt) line.chargedAt = base.chargedAt;
    markLine(line);
    return true;
  };

  const restrictedItems = seed.catalog.items.filter((it) => (it.category === 'drug' || it.category === 'service') && it.priceCapFen <= 10000);
  const sexItems = { '1': restrictedItems.filter((it) => it.restrictions.sex === '2'), '2': restrictedItems.filter((it) => it.restrictions.sex === '1') };
  const ageItems = restrictedItems.filter((it) => it.restrictions.maxAgeYears !== undefined);

  const injectRestricted = (bill: Bill, kind: 'sex' | 'age', days: number[]): boolean => {
    const pool = kind === 'sex' ? sexItems[bill.ctx.sex] : ageItems.filter((it) => bill.ctx.age > it.restrictions.maxAgeYears! + 7);
    const day = rng.pick(days);
    const cands = pool.filter((it) => !bill.codes.has(it.code) && bill.blocked(it.code, day, 1, kind) === '');
    if (cands.length === 0) return false;
    const it = rng.pick(cands);
    markLine(bill.raw(it.code, day, it.category === 'drug' ? rng.int(1, 6) : 1));
    return true;
  };

  const injectExam = (bill: Bill, days: number[]): boolean => {
    const day = rng.pick(days);
    const cands = examList.filter((e) => !bill.codes.has(e.itemCode) && !bill.ctx.diagnoses.some((d) => e.indicationPrefixes.some((p) => d.startsWith(p))) && bill.blocked(e.itemCode, day, 1, 'indication') === '');
    if (cands.length === 0) return false;
    markLine(bill.raw(rng.pick(cands).itemCode, day, 1));
    return true;
  };

  const injectSubstitution = (bill: Bill): boolean => {
    const cands = bill.lines.filter((l) => {
      const x = lineCode(bill, l);
      const y = SUBSTITUTIONS[x];
      return l.category === 'drug' && y !== undefined && !bill.codes.has(y) && localOf[bill.inst.index]!.has(x) && (item(y).restrictions.maxQuantityPerDay ?? Infinity) >= l.quantity;
    });
    if (cands.length === 0) return false;
    const l = rng.pick(cands);
    const x = lineCode(bill, l);
    const y = item(SUBSTITUTIONS[x]!);
    l.localCode = localOf[bill.inst.index]!.get(x)!;
    l.itemCode = y.code;
    l.itemName = item(x).name; // the ward recorded what it dispensed
    l.payClass = y.payClass;
    l.unitPriceFen = priceAt(bill.inst, y);
    l.amountFen = lineAmountFen(l.quantity, l.unitPriceFen);
    bill.codes.set(y.code, 1);
    markLine(l);
    return true;
  };

  const injectUpcoding = (bill: Bill, enc: EncounterRow): boolean => {
    const names = bill.lines.map((l) => l.itemName);
    const cats = new Set(enc.diagnoses.map((d) => d.slice(0, 3)));
    const cands = seed.templates.ccSecondaries.filter((c) => {
      if (!c.evidencePrefix || cats.has(c.code.slice(0, 3))) return false;
      const e = evidenceByPrefix.get(c.evidencePrefix)!;
      return !e.evidenceItemCodes.some((code) => bill.codes.has(code)) && !names.some((n) => e.evidenceNameKeywords.some((k) => n.includes(k)));
    });
    if (cands.length === 0) return false;
    enc.diagnoses.push(rng.pick(cands).code);
    return true;
  };

  const resolveLabelLines = (): string[] => {
    const ids = [...marked].map((l) => l.id);
    marked.clear();
    return ids;
  };

  // ── baseline building blocks ──

  const drugQuantity = (it: SeedItem, budgetFen: number): number => {
    const price = Math.max(1, it.priceCapFen);
    let q = Math.max(1, Math.round(budgetFen / price));
    q = Math.min(q, it.restrictions.maxQuantityPerDay ?? 20);
    return q;
  };

  /** Secondary diagnoses: plain comorbidities and (sometimes) CC/MCC codes with their evidence billed later. */
  const secondaries = (principal: string, sex: Sex, age: number, severe: boolean): { plain: string[]; cc: string[] } => {
    const cats = new Set([principal.slice(0, 3)]);
    const plain: string[] = [];
    const n = age >= 60 ? rng.int(1, 3) : age >= 40 ? rng.int(0, 2) : rng.chance(0.2) ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const c = rng.pick(seed.templates.comorbidities);
      if ((c.sex && c.sex !== sex) || cats.has(c.code.slice(0, 3))) continue;
      cats.add(c.code.slice(0, 3));
      plain.push(c.code);
    }
    const cc: string[] = [];
    const pCc = (severe ? 0.3 : 0.1) + (age >= 70 ? 0.05 : 0);
    for (let i = 0; i < 2 && rng.chance(i === 0 ? pCc : 0.25); i++) {
      const c = rng.pick(seed.templates.ccSecondaries);
      if (cats.has(c.code.slice(0, 3))) continue;
      cats.add(c.code.slice(0, 3));
      cc.push(c.code);
    }
    return { plain, cc };
  };

  /** Bill an evidence item for each coded evidence-table diagnosis; returns the diagnoses that could be evidenced. */
  const billEvidence = (bill: Bill, codes: string[], lastDay: number): string[] => {
    const kept: string[] = [];
    for (const code of codes) {
      const e = [...evidenceByPrefix.values()].find((x) => code.startsWith(x.diagnosisPrefix));
      if (!e) {
        kept.push(code);
        continue;
      }
      if (e.evidenceItemCodes.some((c) => bill.codes.has(c))) {
        kept.push(code);
        continue;
      }
      let done = false;
      for (const c of rng.shuffle([...e.evidenceItemCodes])) {
        const it = item(c);
        const max = it.restrictions.maxQuantityPerDay;
        const perHour = it.unit === '小时';
        const nDays = Math.min(lastDay, 2) + 1;
        let ok = false;
        for (let d = 0; d < nDays; d++) {
          const q = perHour ? rng.int(6, Math.min(20, max ?? 24)) : it.category === 'drug' ? rng.int(1, 3) : 1;
          if (bill.add(c, d, max !== undefined ? Math.min(q, max) : q)) ok = true;
          if (!perHour && it.category !== 'drug') break;
        }
        if (ok) {
          done = true;
          break;
        }
      }
      if (done) kept.push(code);
    }
    return kept;
  };

  /** Baseline examinations: only those the principal diagnosis indicates (stricter than the rule, and realistic). */
  const examsFor = (bill: Bill, day: number, prob: number, minLevel: number, at?: string): void => {
    if (bill.inst.levelNum < minLevel || bill.inst.kind !== 'hospital') return;
    const principal = bill.ctx.diagnoses[0]!;
    for (const e of examList) {
      if (e.indicationPrefixes.some((p) => principal.startsWith(p)) && rng.chance(prob)) bill.add(e.itemCode, day, 1, at);
    }
  };

  // ── inpatient stays ──

  interface InstTemplates { cum: number[]; list: { t: InpatientTemplate; dept: RegionDept }[] }
  const instTemplates = new Map<number, InstTemplates>();
  for (const inst of hospitalsList) {
    const list: InstTemplates['list'] = [];
    for (const t of seed.templates.inpatient) {
      if (t.minLevel > inst.levelNum) continue;
      const dept = resolveDept(inst, t.dept);
      if (dept && dept.beds > 0) list.push({ t, dept });
    }
    if (list.length > 0) instTemplates.set(inst.index, { list, cum: cumulative(list.map((x) => x.t.weight)) });
  }
  const inpatientInsts = hospitalsList.filter((i) => instTemplates.has(i.index));
  const inpatientInstCum = cumulative(inpatientInsts.map((i) => (i.levelNum === 3 ? 6 : i.levelNum === 2 ? 3 : 1)));
  const SEVERE = new Set(['ER1', 'BR1', 'FR1', 'FR2', 'SR1', 'GB2', 'EB1', 'HS2', 'LR1']);

  interface StayPlan {
    inst: RegionInstitution;
    dept: RegionDept;
    t: InpatientTemplate;
    person: number;
    admit: number;
    los: number;
    principal: string;
    procedure: string | undefined;
  }

  const planStay = (admit: number): StayPlan => {
    const inst = inpatientInsts[rng.weighted(inpatientInstCum)]!;
    const it = instTemplates.get(inst.index)!;
    const { t, dept } = it.list[rng.weighted(it.cum)]!;
    let los = Math.round(rng.logNormal(t.los, 0.45));
    los = Math.max(t.grade ? 2 : 1, Math.min(60, los));
    if (t.adrg === 'OR1') los = Math.min(los, 6);
    los = Math.min(los, nDays - 1 - admit);
    const principalCN = rng.pick(t.principals);
    const sex: Sex = t.sex ?? (rng.chance(0.5) ? '1' : '2');
    const cat = principalCN.code.slice(0, 3);
    const person = pickPerson(sex, t.age[0], t.age[1], admit, (p) => canStay(p, inst.index, admit, admit + los, cat), 0.7);
    return { inst, dept, t, person, admit, los, principal: principalCN.code, procedure: t.procedures.length ? rng.pick(t.procedures).code : undefined };
  };

  /** Build one inpatient stay; `inject` is the irregularity to plant (or undefined). Returns the encounter id. */
  const buildStay = (plan: StayPlan, inject: IrregularityType | undefined, noBadRows = false): string => {
    const { inst, dept, t, admit, los } = plan;
    const p = persons[plan.person]!;
    const admitDay = days[admit]!;
    const age = ageAt(p, admitDay);
    const severe = SEVERE.has(t.adrg);
    const sec = secondaries(plan.principal, p.sex, age, severe);
    const diagnoses = [plan.principal, ...(t.requiredSecondary ? [t.requiredSecondary.code] : []), ...sec.plain, ...sec.cc];
    const ctx: Ctx = { sex: p.sex, age, diagnoses };
    const id = encId('inpatient');
    const attending = rng.pick(dept.doctors);
    const slots = new Map<number, { doctor: number; hour: number }>();
    const slot = (d: number): { doctor: number; hour: number } => {
      let s = slots.get(d);
      if (!s) slots.set(d, (s = bookDoctor(dept, attending, admit + d, 7, LAST_BASELINE_HOUR)));
      return s;
    };
    const bill = new Bill(inst, dept, id, admit, ctx, slot);
    addStay(plan.person, { inst: inst.index, a: admit, d: admit + los, cat: plan.principal.slice(0, 3) });

    // phantom window (挂床): days whose only charges are facility lines
    let phantom: [number, number] | undefined;
    if (inject === 'phantom-stay') {
      if (los < 7) inject = undefined;
      else {
        const k = rng.int(3, Math.min(5, los - 4));
        const s = rng.int(3, los - k);
        phantom = [s, s + k - 1];
      }
    }
    const inPhantom = (d: number): boolean => phantom !== undefined && d >= phantom[0] && d <= phantom[1];
    const intensity = rng.logNormal(1, 0.35);

    // admission work-up (day 0)
    for (const code of [ROLE.cbc, ROLE.urine, ROLE.liver, ROLE.renal]) bill.add(code, 0, 1);
    if (age >= 40 || rng.chance(0.4)) bill.add(ROLE.ecg, 0, 1);
    if (rng.chance(0.5)) bill.add(ROLE.chestXray, 0, 1);
    if (t.grade) bill.add(ROLE.coag, 0, 1);

    // secondary diagnoses with evidence (before exams: a CC that cannot be evidenced is dropped, and
    // exams must only be indicated by diagnoses that stay coded)
    const ccKept = billEvidence(bill, sec.cc, los - 1);
    ctx.diagnoses.splice(diagnoses.length - sec.cc.length, sec.cc.length, ...ccKept);
    examsFor(bill, Math.min(1, los - 1), 0.45, 1);

    // surgery
    const surgeryDay = t.grade ? (los >= 3 ? 1 : 0) : -1;
    if (t.grade) {
      const sd = surgeryDay;
      bill.add(t.surgeryItem ?? ROLE.grade[t.grade]!, sd, 1);
      if (t.anaesthesia === 'general') {
        bill.add(ROLE.anaesGeneral, sd, 1);
        bill.add(ROLE.anaesMonitor, sd, rng.int(2, 4));
        bill.add(ROLE.propofol, sd, rng.int(1, 3));
      } else if (t.anaesthesia === 'spinal') {
        bill.add(ROLE.anaesSpinal, sd, 1);
        bill.add(ROLE.anaesMonitor, sd, rng.int(1, 3));
        bill.add(ROLE.lidocaine, sd, rng.int(1, 2));
      } else {
        bill.add(ROLE.anaesLocal, sd, 1);
        bill.add(ROLE.lidocaine, sd, 1);
      }
      for (const [code, q] of t.implants ?? []) bill.add(code, sd, q);
    }

    // template services: repeated ones daily, others once on day 0/1
    for (const code of t.services ?? []) {
      if (!DAILY_SERVICES.has(code)) bill.add(code, Math.min(1, los - 1), 1);
      else for (let d = 0; d < los; d++) if (!inPhantom(d)) bill.add(code, d, 1);
    }

    // daily schedule
    const regimen = rng.shuffle([...t.drugs]).slice(0, rng.int(2, Math.min(4, t.drugs.length)));
    const dailyDrugBudget = (t.cost * 100 * 0.35 * intensity) / Math.max(1, t.los) / Math.max(1, regimen.length);
    for (let d = 0; d < los; d++) {
      const day = days[admit + d]!;
      // facility lines at night
      const at = `23:${pad2(rng.int(0, 50))}:00`;
      bill.raw(severe && d < 2 && t.adrg === 'SR1' ? ROLE.icuBed : ROLE.bed, d, 1, at);
      bill.raw(d < 2 && (severe || t.grade) ? ROLE.nursing1 : t.los <= 4 ? ROLE.nursing3 : ROLE.nursing2, d, 1, at);
      if (day.heating) bill.raw(ROLE.heating, d, 1, at);
      if (inPhantom(d)) continue;
      bill.add(ROLE.inpatientConsult, d, 1);
      let iv = 0;
      for (const code of regimen) {
        if (d > 0 && !rng.chance(0.85)) continue;
        const it = item(code);
        if (bill.add(code, d, drugQuantity(it, dailyDrugBudget)) && IV_UNITS.has(it.unit)) iv++;
      }
      if (iv > 0) {
        bill.add(ROLE.infusion, d, iv);
        bill.add(ROLE.infusionSet, d, 1);
        bill.add(ROLE.syringe, d, rng.int(1, 3));
      }
      if (d === 0 && iv > 0) bill.add(ROLE.cannula, d, 1);
      if (d > 0 && d % 3 === 0) bill.add(ROLE.cbc, d, 1);
      if (d > 0 && d % 3 === 1) bill.add(d % 2 === 0 ? ROLE.liver : ROLE.renal, d, 1); // follow-up biochemistry
      if (t.grade && d > surgeryDay && d % 2 === 0) bill.add(ROLE.dressing, d, 1);
    }
    // discharge day: discharge medication (出院带药) so that every day of the stay has a drug/service line
    const dischargeDrug = regimen.map((c) => item(c)).find((it) => !IV_UNITS.has(it.unit)) ?? item(regimen[0]!);
    if (!bill.add(dischargeDrug.code, los, drugQuantity(dischargeDrug, dailyDrugBudget) + rng.int(0, 6))) bill.add(ROLE.inpatientConsult, los, 1);

    const enc: EncounterRow = {
      id,
      institutionId: inst.id,
      departmentId: dept.id,
      personIdNumber: p.idNumber,
      doctorId: practitioners[attending]!.id,
      kind: 'inpatient',
      benefitType: t.benefit ?? 'general',
      scheme: p.scheme,
      sex: p.sex,
      ageYears: age,
      ageDays: 0,
      birthWeightGrams: 0,
      admitDate: admitDay.iso,
      dischargeDate: days[admit + los]!.iso,
      dischargeType: severe && age > 65 && rng.chance(0.03) ? '5' : rng.chance(0.95) ? '1' : rng.pick(['2', '3', '4', '9'] as const),
      losDays: los,
      diagnoses: ctx.diagnoses,
      procedures: plan.procedure ? [plan.procedure] : [],
    };

    // inject
    const activeDays = Array.from({ length: Math.min(3, los) }, (_, i) => i);
    let ok = false;
    let lineLabel = true;
    switch (inject) {
      case 'phantom-stay':
        for (const l of bill.lines) if (inPhantom(l.day) && l.category === 'facility') markLine(l);
        ok = true;
        break;
      case 'upcoding':
        ok = injectUpcoding(bill, enc);
        lineLabel = false;
        break;
      case 'duplicate-charge':
        ok = injectDuplicate(bill);
        break;
      case 'over-price-cap':
        ok = injectPriceCap(bill);
        break;
      case 'over-frequency':
        ok = injectFrequency(bill);
        break;
      case 'sex-restricted':
        ok = injectRestricted(bill, 'sex', activeDays);
        break;
      case 'age-restricted':
        ok = injectRestricted(bill, 'age', activeDays);
        break;
      case 'over-examination':
        ok = injectExam(bill, activeDays);
        break;
      case 'drug-substitution':
        ok = injectSubstitution(bill);
        break;
      default:
        break;
    }
    if (!ok) marked.clear();
    emitEncounter(enc, bill);
    if (ok && inject) emitLabel(inject, [id], lineLabel ? resolveLabelLines() : []);
    else if (!inject && !noBadRows) maybeBadLine(bill);
    return id;
  };

  // ── outpatient and online visits ──

  const visitTemplates = seed.templates.visits.filter((v) => !v.online);
  const onlineTemplates = seed.templates.visits.filter((v) => v.online);
  interface InstVisits { cum: number[]; list: { v: VisitTemplate; dept: RegionDept }[] }
  const instVisits = new Map<number, InstVisits>();
  for (const inst of institutions) {
    const list: InstVisits['list'] = [];
    for (const v of inst.kind === 'internet-hospital' ? onlineTemplates : visitTemplates) {
      const dept = resolveDept(inst, v.dept);
      if (dept) list.push({ v, dept });
    }
    if (list.length > 0) instVisits.set(inst.index, { list, cum: cumulative(list.map((x) => x.v.weight)) });
  }
  const outInsts = [...hospitalsList, primaryCare].filter((i) => instVisits.has(i.index));
  const outInstCum = cumulative(outInsts.map((i) => (i.kind === 'primary-care' ? 3 : i.levelNum === 3 ? 5 : i.levelNum === 2 ? 3 : 2)));
  const EMERGENCY_DX = new Set(['J00', 'J06', 'J20', 'R51']);

  /** Build one visit; returns its id and, for a high-frequency cluster member, the id of the drug line. */
  const buildVisit = (dayIdx: number, online: boolean, inject: IrregularityType | undefined, cluster?: { inst: RegionInstitution; v: VisitTemplate; dept: RegionDept; doctor: number; drug: string; time: string; person: number }): { id: string; lineIds: string[] } => {
    const inst = cluster?.inst ?? (online ? internet : outInsts[rng.weighted(outInstCum)]!);
    const iv = instVisits.get(inst.index)!;
    const emergencyOk = (x: VisitTemplate): boolean => !online && !cluster && inst.kind === 'hospital' && EMERGENCY_DX.has(x.principal.code.slice(0, 3)) && x.kind !== 'child' && inst.byCode.has('A20');
    let pickList = iv.list;
    // a duplicate charge at an outpatient visit is planted at the emergency department (急诊诊查费 + 急诊监护费)
    if (inject === 'duplicate-charge' && !cluster) pickList = iv.list.filter((x) => emergencyOk(x.v));
    if (pickList.length === 0) pickList = iv.list;
    const { v, dept: baseDept } = cluster ? { v: cluster.v, dept: cluster.dept } : pickList === iv.list ? iv.list[rng.weighted(iv.cum)]! : rng.pick(pickList);
    const emergency = emergencyOk(v) && (inject === 'duplicate-charge' || rng.chance(0.25));
    const dept = emergency ? inst.byCode.get('A20')! : baseDept;
    const sex: Sex = v.sex ?? (rng.chance(0.5) ? '1' : '2');
    const person = cluster?.person ?? pickPerson(sex, v.age[0], v.age[1], dayIdx, () => true, 1);
    const p = persons[person]!;
    const day = days[dayIdx]!;
    const age = ageAt(p, day);
    const diagnoses = [v.principal.code];
    if (!online && age >= 50 && rng.chance(0.3)) {
      const c = rng.pick(seed.templates.comorbidities);
      if ((!c.sex || c.sex === p.sex) && c.code.slice(0, 3) !== v.principal.code.slice(0, 3)) diagnoses.push(c.code);
    }
    const ctx: Ctx = { sex: p.sex, age, diagnoses };
    const id = encId(online ? 'online' : 'outpatient');
    let doctor: number;
    let time: string;
    if (cluster) {
      doctor = cluster.doctor;
      time = cluster.time;
    } else {
      const b = bookDoctor(dept, rng.pick(dept.doctors), dayIdx, 8, online ? LAST_BASELINE_HOUR : 17);
      doctor = b.doctor;
      time = `${pad2(b.hour)}:${pad2(rng.int(0, 45))}:00`;
    }
    const bill = new Bill(inst, dept, id, dayIdx, ctx, () => ({ doctor, hour: Number(time.slice(0, 2)) }));
    const [hh, mm] = time.split(':').map(Number) as [number, number];
    let minute = mm;
    const at = (): string => `${pad2(hh)}:${pad2(Math.min(59, minute++))}:00`;
    bill.add(online ? ROLE.onlineConsult : emergency ? ROLE.emergencyConsult : ROLE.outpatientConsult, 0, 1, at());
    if (cluster) {
      const l = bill.add(cluster.drug, 0, drugQuantity(item(cluster.drug), 600), at());
      if (l) markLine(l);
    } else {
      for (const code of rng.shuffle([...v.drugs]).slice(0, rng.int(1, Math.max(1, Math.min(2, v.drugs.length))))) {
        const it = item(code);
        bill.add(code, 0, it.unit === '片' || it.unit === '粒' ? rng.int(6, 28) : rng.int(1, 4), at());
      }
      for (const code of v.services) if (rng.chance(0.6)) bill.add(code, 0, 1, at());
      if (!online) examsFor(bill, 0, 0.05, 2, at());
    }
    const enc: EncounterRow = {
      id,
      institutionId: inst.id,
      departmentId: dept.id,
      personIdNumber: p.idNumber,
      doctorId: practitioners[doctor]!.id,
      kind: online ? 'online' : 'outpatient',
      benefitType: emergency ? 'emergency' : ((v.benefit as BenefitType | undefined) ?? 'general'),
      scheme: p.scheme,
      sex: p.sex,
      ageYears: age,
      ageDays: 0,
      birthWeightGrams: 0,
      admitDate: day.iso,
      dischargeDate: day.iso,
      dischargeType: '1',
      losDays: 0,
      diagnoses,
      procedures: [],
    };
    let ok = false;
    switch (inject) {
      case 'duplicate-charge':
        ok = emergency && injectDuplicate(bill);
        break;
      case 'over-price-cap':
        ok = injectPriceCap(bill);
        break;
      case 'over-frequency':
        ok = injectFrequency(bill);
        break;
      case 'sex-restricted':
        ok = injectRestricted(bill, 'sex', [0]);
        break;
      case 'age-restricted':
        ok = injectRestricted(bill, 'age', [0]);
        break;
      case 'over-examination':
        ok = !online && injectExam(bill, [0]);
        break;
      case 'drug-substitution':
        ok = injectSubstitution(bill);
        break;
      default:
        break;
    }
    if (!ok && !cluster) marked.clear();
    emitEncounter(enc, bill);
    if (cluster) return { id, lineIds: resolveLabelLines() };
    if (ok && inject) emitLabel(inject, [id], resolveLabelLines());
    else if (!inject) maybeBadLine(bill);
    return { id, lineIds: [] };
  };

  // ── the calendar walk ──

  const admitsPerDay = new Uint32Array(nDays);
  const visitsPerDay = new Uint32Array(nDays);
  const onlinePerDay = new Uint32Array(nDays);
  const seasonal = days.map((d) => (d.heating ? 1.2 : 1) * (new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay() % 6 === 0 ? 0.7 : 1));
  const seasonCum = cumulative(seasonal.slice(0, nDays - 1));
  const nOnline = Math.round(opts.outpatients * opts.onlineShare);
  for (let i = 0; i < opts.inpatients; i++) admitsPerDay[rng.weighted(seasonCum)]!++;
  for (let i = 0; i < opts.outpatients - nOnline; i++) visitsPerDay[rng.weighted(seasonCum)]!++;
  for (let i = 0; i < nOnline; i++) onlinePerDay[rng.weighted(seasonCum)]!++;

  // doctor-high-frequency clusters: distinct (day, doctor), 8–12 patients within 21:00–21:59
  const nClusters = opts.outpatients >= 100 && opts.injectionScale > 0 ? Math.max(1, Math.round((opts.outpatients / 250) * opts.injectionScale)) : 0;
  const clusterDays = new Map<number, number>();
  for (let i = 0; i < nClusters; i++) {
    const d = rng.weighted(seasonCum);
    clusterDays.set(d, (clusterDays.get(d) ?? 0) + 1);
  }
  const clusterTemplates = visitTemplates.filter((v) => !v.sex && v.kind !== 'child' && v.drugs.length > 0);

  const pendingReadmit = new Map<number, number>(); // person → day index of the planned readmission
  const readmissions = new Map<number, { plan: StayPlan; of: string }[]>();
  const pickType = (rates: [IrregularityType, number][]): IrregularityType | undefined => {
    let u = rng.next();
    for (const [t, r] of rates) {
      u -= r * opts.injectionScale;
      if (u < 0) return t;
    }
    return undefined;
  };

  for (let day = 0; day < nDays; day++) {
    // planned readmissions (分解住院, second stay)
    for (const { plan, of } of readmissions.get(day) ?? []) {
      const id = buildStay(plan, undefined, true);
      pendingReadmit.delete(plan.person);
      emitLabel('split-admission', [of, id], []);
    }
    readmissions.delete(day);

    for (let i = 0; i < admitsPerDay[day]!; i++) {
      const plan = planStay(day);
      let inject = pickType(INPATIENT_RATES);
      if (inject === 'split-admission') {
        const gap = rng.int(1, 14);
        const readmit = day + plan.los + gap;
        const t2 = plan.t;
        const sameCat = t2.principals.filter((c) => c.code.slice(0, 3) === plan.principal.slice(0, 3));
        if (readmit < nDays - 2 && !pendingReadmit.has(plan.person)) {
          const los2 = Math.max(t2.grade ? 2 : 1, Math.min(nDays - 1 - readmit, Math.round(rng.logNormal(Math.max(2, t2.los * 0.7), 0.4))));
          // the readmission must not collide with the person's other stays (apart from the planned pair)
          const cat = plan.principal.slice(0, 3);
          if (canStay(plan.person, plan.inst.index, readmit, readmit + los2, cat)) {
            const id = buildStay(plan, undefined, true);
            const plan2: StayPlan = { ...plan, admit: readmit, los: los2, principal: rng.pick(sameCat).code, procedure: t2.procedures.length ? rng.pick(t2.procedures).code : undefined };
            // reserve the readmission so later baseline stays keep clear of it, and the gap between the
            // two stays so no other stay lands in between (the pair must be consecutive stays)
            addStay(plan.person, { inst: plan.inst.index, a: readmit, d: readmit + los2, cat });
            addStay(plan.person, { inst: -1, a: day + plan.los, d: readmit, cat: '' });
            pendingReadmit.set(plan.person, readmit);
            const list = readmissions.get(readmit) ?? [];
            list.push({ plan: plan2, of: id });
            readmissions.set(readmit, list);
            continue;
          }
        }
        inject = undefined;
      }
      buildStay(plan, inject);
    }

    for (let i = 0; i < visitsPerDay[day]!; i++) buildVisit(day, false, pickType(OUTPATIENT_RATES));
    for (let i = 0; i < onlinePerDay[day]!; i++) buildVisit(day, true, undefined);

    for (let c = 0; c < (clusterDays.get(day) ?? 0); c++) {
      const inst = rng.pick(hospitalsList);
      const iv = instVisits.get(inst.index)!;
      const cands = iv.list.filter((x) => clusterTemplates.includes(x.v));
      if (cands.length === 0) continue;
      const { v, dept } = rng.pick(cands);
      const doctor = rng.pick(dept.doctors);
      const key = doctor * 24 + CLUSTER_HOUR;
      let m = bookings.get(day);
      if (!m) bookings.set(day, (m = new Map()));
      if (m.has(key)) continue; // one cluster per doctor-day
      m.set(key, 99);
      const drug = rng.pick(v.drugs);
      const n = rng.int(8, 12);
      const chosen = new Set<number>();
      const ids: string[] = [];
      const lineIds: string[] = [];
      for (let k = 0; k < n; k++) {
        const person = pickPerson(rng.chance(0.5) ? '1' : '2', Math.max(18, v.age[0]), v.age[1], day, (p) => !chosen.has(p), 1);
        chosen.add(person);
        const time = `${CLUSTER_HOUR}:${pad2(Math.floor((k * 55) / n))}:00`;
        const r = buildVisit(day, false, undefined, { inst, v, dept, doctor, drug, time, person });
        ids.push(r.id);
        lineIds.push(...r.lineIds);
      }
      emitLabel('doctor-high-frequency', ids, lineIds);
    }

    // bad encounters (quarantine fodder): own persons, no lines, never labelled
    if (rng.chance(Math.min(1, ((opts.inpatients + opts.outpatients) / nDays) * 0.001 * opts.badRowScale)) && allowBad('encounters.csv')) emitBadEncounter(day);

    bookings.delete(day - 1);
  }

  function emitBadEncounter(dayIdx: number): void {
    const kind = rng.int(0, 2);
    const sex: Sex = kind === 2 ? '1' : rng.chance(0.5) ? '1' : '2';
    const p = persons[addPerson(sex, rng.int(25, 70))]!;
    const day = days[dayIdx]!;
    const inst = rng.pick(hospitalsList);
    const dept = inst.departments.find((d) => d.doctors.length > 0)!;
    const id = encId(kind === 1 ? 'inpatient' : 'outpatient');
    const enc: EncounterRow = {
      id, institutionId: inst.id, departmentId: dept.id, personIdNumber: p.idNumber, doctorId: practitioners[dept.doctors[0]!]!.id,
      kind: kind === 1 ? 'inpatient' : 'outpatient', benefitType: 'general', scheme: p.scheme, sex: p.sex, ageYears: ageAt(p, day), ageDays: 0,
      birthWeightGrams: 0, admitDate: day.iso, dischargeDate: day.iso, dischargeType: '1', losDays: 0, diagnoses: ['J06.900'], procedures: [],
    };
    let reason: string;
    if (kind === 0) {
      enc.diagnoses = [seed.templates.badRowCodes.unknownDiagnosis];
      reason = 'unknown-diagnosis';
    } else if (kind === 1) {
      enc.admitDate = days[Math.min(nDays - 1, dayIdx + 3)]!.iso;
      enc.dischargeDate = day.iso;
      enc.losDays = 0;
      reason = 'discharge-before-admission';
    } else {
      enc.diagnoses = [seed.templates.badRowCodes.femaleOnlyDiagnosis];
      reason = 'diagnosis-sex-mismatch';
    }
    emitBad('encounters.csv', id, reason);
    sink.encounter(enc);
    counts['encounters.csv']!++;
  }

  // Persons (after the walk, because the pool grows on demand).
  for (const p of persons) {
    sink.person({ idNumber: p.idNumber, sex: p.sex, birthDate: p.birthIso, scheme: p.scheme, personType: p.personType, regionCode: opts.regionCode });
    counts['persons.csv']!++;
  }

  // Monthly department costs (科室成本月报), consistent with the volume billed. Drug and material costs
  // follow each department's own revenue; the driver-based items (personnel, depreciation, …) keep their
  // proportions between departments but are scaled per institution so that total cost ≈ 92–102 % of its
  // revenue (public hospitals run near break-even), and follow the month's volume (70 % fixed, 30 % variable).
  const monthIso: string[] = [];
  for (const d of days) monthIso[d.month] ??= d.iso.slice(0, 7);
  const personnelPerStaff: Record<string, number> = { clinical: 1_600_000, 'medical-technical': 1_400_000, 'medical-support': 1_000_000, administrative: 1_100_000 };
  const FIXED_ITEMS = ['personnel', 'medical-materials', 'depreciation', 'amortisation', 'other-operating'] as const;
  const fixed = new Float64Array(departments.length * nMonths * FIXED_ITEMS.length);
  const instRevenue = new Float64Array(institutions.length);
  const instRevenueMonth = new Float64Array(institutions.length * nMonths);
  const instLinked = new Float64Array(institutions.length);
  const instFixed = new Float64Array(institutions.length);
  for (const d of departments) {
    const inst = institutions[d.institutionIndex]!;
    const levelFactor = inst.levelNum === 3 ? 1.2 : inst.levelNum === 2 ? 1 : 0.8;
    for (let m = 0; m < nMonths; m++) {
      const k = d.index * nMonths + m;
      const noise = (): number => 1 + (rng.next() - 0.5) * 0.1;
      const raw = [
        d.staffCount * personnelPerStaff[d.costCategory]! * levelFactor * noise(),
        d.staffCount * 20_000 * noise(),
        d.floorAreaM2 * 3_000 * noise() + (d.costCategory === 'medical-technical' ? 5_000_000 * levelFactor : 0),
        d.staffCount * 4_000 * noise(),
        d.floorAreaM2 * 1_500 * noise() + d.staffCount * 60_000 * noise(),
      ];
      for (let j = 0; j < raw.length; j++) fixed[k * FIXED_ITEMS.length + j] = raw[j]!;
      instFixed[inst.index]! += raw.reduce((a, b) => a + b, 0);
      instRevenue[inst.index]! += revenue.total[k]!;
      instRevenueMonth[inst.index * nMonths + m]! += revenue.total[k]!;
      instLinked[inst.index]! += revenue.material[k]! * 0.95 + revenue.drug[k]! * 0.98 + revenue.total[k]! * 0.002;
    }
  }
  const instFactor = institutions.map((inst) => {
    const target = instRevenue[inst.index]! * (0.92 + rng.next() * 0.1);
    // driver-based costs are at least 10 % of the target even where drugs dominate revenue (internet hospital)
    return Math.max(0.1 * target, target - instLinked[inst.index]!) / Math.max(1, instFixed[inst.index]!);
  });
  for (const d of departments) {
    const i = d.institutionIndex;
    const avgMonth = instRevenue[i]! / nMonths;
    for (let m = 0; m < nMonths; m++) {
      const k = d.index * nMonths + m;
      const volume = avgMonth > 0 ? 0.7 + 0.3 * (instRevenueMonth[i * nMonths + m]! / avgMonth) : 1;
      const f = (j: number): number => fixed[k * FIXED_ITEMS.length + j]! * instFactor[i]! * volume;
      const amounts: Record<DepartmentCost['costItem'], number> = {
        personnel: roundFen(f(0)),
        'medical-materials': roundFen(revenue.material[k]! * 0.95 + f(1)),
        drugs: roundFen(revenue.drug[k]! * 0.98),
        depreciation: roundFen(f(2)),
        amortisation: roundFen(f(3)),
        'risk-fund': roundFen(revenue.total[k]! * 0.002), // 医疗风险基金: 2‰ of medical revenue
        'other-operating': roundFen(f(4)),
      };
      for (const costItem of COST_ITEMS) {
        sink.departmentCost({ institutionId: d.institutionId, departmentId: d.id, month: monthIso[m]!, costItem, amountFen: amounts[costItem], direct: true });
        counts['department-costs.csv']!++;
      }
    }
  }

  return {
    generator: 'medfund-synth',
    generatorVersion: GENERATOR_VERSION,
    seedDataVersion: seed.version,
    seed: opts.seed,
    parameters: opts,
    dateRange: { from: days[0]!.iso, to: days[nDays - 1]!.iso },
    counts,
    labels: labelCounts,
    labelledEncounters,
    badRows,
    densityOverflows,
  };
}

function validateOptions(o: Required<SynthOptions>): void {
  const bad = (field: string, value: unknown, why: string): never => {
    throw new RangeError(`synth option ${field}=${String(value)}: ${why}`);
  };
  for (const f of ['hospitals', 'inpatients', 'outpatients', 'years', 'seed'] as const) if (!Number.isInteger(o[f]) || o[f] < 0) bad(f, o[f], 'must be a non-negative integer');
  if (o.hospitals < 1 || o.hospitals > 30) bad('hospitals', o.hospitals, 'must be 1–30');
  if (o.years < 1 || o.years > 10) bad('years', o.years, 'must be 1–10');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.endDate) || Number.isNaN(Date.parse(o.endDate))) bad('endDate', o.endDate, 'must be an ISO date');
  if (!/^\d{6}$/.test(o.regionCode)) bad('regionCode', o.regionCode, 'must be 6 digits');
  if (!(o.onlineShare >= 0 && o.onlineShare <= 1)) bad('onlineShare', o.onlineShare, 'must be in [0, 1]');
  if (!(o.injectionScale >= 0 && o.injectionScale <= 5)) bad('injectionScale', o.injectionScale, 'must be in [0, 5]');
  if (!(o.badRowScale >= 0 && o.badRowScale <= 5)) bad('badRowScale', o.badRowScale, 'must be in [0, 5]');
}
