/**
 * Row parsers and validators, one per region file kind. Each turns a record (looked up by column
 * name) into the values of its table row, or into issues with reason codes — never both silently:
 * any error-severity issue sends the row to quarantine with every reason found.
 *
 * Reason codes (docs/data-model.md § Validation lists them with examples): missing-field,
 * invalid-enum, invalid-number, invalid-date, invalid-money, los-not-positive, los-inconsistent,
 * discharge-before-admission, unknown-diagnosis, unknown-procedure, diagnosis-sex-conflict,
 * quantity-not-positive, amount-mismatch, unknown-item-code, unmapped-local-code, unknown-encounter,
 * unknown-institution, unknown-department, unknown-doctor, unknown-person, institution-mismatch,
 * column-count.
 */
import {
  BENEFIT_TYPES, CHARGE_CATEGORIES, COST_CENTER_CATEGORIES, COST_ITEMS, DISCHARGE_TYPES, ENCOUNTER_KINDS,
  INSTITUTION_KINDS, INSTITUTION_LEVELS, PAY_CLASSES, PERSON_TYPES, SCHEMES, SEXES, issue, lineAmountFen,
  type Issue, type RegionFileKind,
} from '../domain/index.js';
import { diagnosisSex, type CodeSets, type ReferenceData } from './refdata.js';
import type { SqlValue } from '../store/index.js';

/** Where a parser reads fields from (a CSV/JSONL/FHIR record). */
export interface FieldSource {
  get(column: string): string | undefined;
}

export interface ParseContext {
  ref: ReferenceData;
  codes: CodeSets;
  pseudonymise(idNumber: string): string;
}

export interface Parsed {
  values: SqlValue[];
  issues: Issue[];
  /** money the row carries (settlement lines: amountFen; department costs: amountFen), for reconciliation */
  amountFen: number;
  institutionId: string;
}

export interface KindDef {
  kind: RegionFileKind;
  table: string;
  /** table columns (without lineage) in the order `parse` returns values */
  columns: readonly string[];
  /** columns forming the row's identity */
  key: readonly string[];
  /** reference data this kind needs */
  needs: ReadonlySet<'org' | 'persons' | 'catalog' | 'codeMap' | 'encounters'>;
  parse(src: FieldSource, ctx: ParseContext): Parsed;
}

// ── field helpers: each pushes a specific issue and returns a placeholder on failure ──

class Fields {
  readonly issues: Issue[] = [];
  constructor(private readonly src: FieldSource) {}
  private get(name: string): string | undefined {
    return this.src.get(name);
  }

  text(name: string, required = true): string {
    const v = this.get(name);
    if (v === undefined || v.trim() === '') {
      if (required) this.issues.push(issue('missing-field', name, `${name} is required but empty`));
      return '';
    }
    // NUL cannot be stored in PostgreSQL text and never belongs in a code or name.
    if (v.includes('\u0000')) {
      this.issues.push(issue('invalid-character', name, `${name} contains a NUL character`));
      return v.replace(/\u0000/g, '');
    }
    return v.trim();
  }
  enumOf<T extends string>(name: string, allowed: readonly T[], required = true): T {
    const v = this.text(name, required);
    if (v === '' && !required) return '' as T;
    if (v !== '' && !(allowed as readonly string[]).includes(v)) {
      this.issues.push(issue('invalid-enum', name, `${name} "${v}" is not one of ${allowed.join(', ')}`));
    }
    return v as T;
  }
  int(name: string, opts: { min?: number; max?: number; required?: boolean } = {}): number | null {
    const v = this.text(name, opts.required ?? true);
    if (v === '') return opts.required === false ? null : 0;
    if (!/^-?\d+$/.test(v)) {
      this.issues.push(issue('invalid-number', name, `${name} "${v}" is not an integer`));
      return 0;
    }
    const n = Number(v);
    if (!Number.isSafeInteger(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      this.issues.push(issue('invalid-number', name, `${name} ${v} is out of range [${opts.min ?? '-∞'}, ${opts.max ?? '∞'}]`));
    }
    return n;
  }
  decimal(name: string, required = true): number | null {
    const v = this.text(name, required);
    if (v === '') return required ? 0 : null;
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(v)) {
      this.issues.push(issue('invalid-number', name, `${name} "${v}" is not a decimal number`));
      return 0;
    }
    return Number(v);
  }
  /** Money: `<name>Fen` as integer fen, or `<name>` in yuan with at most two decimals. */
  money(name: string, required = true): number {
    const fen = this.get(`${name}Fen`);
    if (fen !== undefined && fen.trim() !== '') {
      const t = fen.trim();
      if (!/^-?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
        this.issues.push(issue('invalid-money', `${name}Fen`, `${name}Fen "${t}" is not an integer number of fen`));
        return 0;
      }
      return Number(t);
    }
    const yuan = this.get(name);
    if (yuan !== undefined && yuan.trim() !== '') {
      const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
      if (!m) {
        this.issues.push(issue('invalid-money', name, `${name} "${yuan.trim()}" is not a yuan amount with at most 2 decimals`));
        return 0;
      }
      const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
      return m[1] ? -v : v;
    }
    if (required) this.issues.push(issue('missing-field', `${name}Fen`, `${name}Fen (or ${name} in yuan) is required but empty`));
    return 0;
  }
  date(name: string, required = true): string {
    const v = this.text(name, required);
    if (v === '') return '';
    if (!isCalendarDate(v)) this.issues.push(issue('invalid-date', name, `${name} "${v}" is not a valid ISO date YYYY-MM-DD`));
    return v;
  }
  month(name: string): string {
    const v = this.text(name);
    if (v !== '' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) this.issues.push(issue('invalid-date', name, `${name} "${v}" is not a month YYYY-MM`));
    return v;
  }
  timestamp(name: string): string {
    const v = this.text(name);
    if (v === '') return '';
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
    if (!m || !isCalendarDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) {
      this.issues.push(issue('invalid-date', name, `${name} "${v}" is not an ISO timestamp YYYY-MM-DDTHH:mm:ss`));
      return v;
    }
    return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}`;
  }
  list(name: string): string[] {
    const v = this.get(name);
    if (v === undefined || v.trim() === '') return [];
    return v.split('|').map((s) => s.trim());
  }
  bool(name: string): boolean {
    const v = this.text(name);
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    if (v !== '') this.issues.push(issue('invalid-enum', name, `${name} "${v}" is not 1/0 or true/false`));
    return false;
  }
  add(code: string, path: string, message: string): void {
    this.issues.push(issue(code, path, message));
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Imports repeat the same few thousand dates millions of times: remember the answers (bounded).
const dateCache = new Map<string, boolean>();
export function isCalendarDate(v: string): boolean {
  let ok = dateCache.get(v);
  if (ok === undefined) {
    ok = checkCalendarDate(v);
    if (dateCache.size > 100_000) dateCache.clear();
    dateCache.set(v, ok);
  }
  return ok;
}
function checkCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!);
}

/** Whole days between two ISO dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function checkRef(f: Fields, map: ReadonlyMap<string, string>, id: string, field: string, code: string, what: string, institutionId?: string): void {
  if (id === '') return;
  const owner = map.get(id);
  if (owner === undefined) f.add(code, field, `${what} "${id}" is not known (import it first)`);
  else if (institutionId !== undefined && institutionId !== '' && owner !== institutionId) {
    f.add('institution-mismatch', field, `${what} "${id}" belongs to institution ${owner}, not ${institutionId}`);
  }
}

const done = (f: Fields, values: SqlValue[], institutionId: string, amountFen = 0): Parsed => ({ values, issues: f.issues, amountFen, institutionId });

const set = <T extends string>(...xs: T[]): ReadonlySet<T> => new Set(xs);

export const KINDS: Record<RegionFileKind, KindDef> = {
  institutions: {
    kind: 'institutions', table: 'institutions', key: ['id'], needs: set(),
    columns: ['id', 'name', 'level', 'kind', 'region_code'],
    parse(src) {
      const f = new Fields(src);
      const id = f.text('id');
      const regionCode = f.text('regionCode');
      if (regionCode !== '' && !/^\d{6}$/.test(regionCode)) f.add('invalid-enum', 'regionCode', `regionCode "${regionCode}" is not a 6-digit division code`);
      return done(f, [id, f.text('name'), f.enumOf('level', INSTITUTION_LEVELS), f.enumOf('kind', INSTITUTION_KINDS), regionCode], id);
    },
  },
  departments: {
    kind: 'departments', table: 'departments', key: ['id'], needs: set('org'),
    columns: ['id', 'institution_id', 'name', 'dept_code', 'cost_category', 'parent_id', 'staff_count', 'floor_area_m2', 'beds'],
    parse(src, { ref }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      return done(f, [
        f.text('id'), inst, f.text('name'), f.text('deptCode', false), f.enumOf('costCategory', COST_CENTER_CATEGORIES), f.text('parentId', false),
        f.int('staffCount', { min: 0 }), f.decimal('floorAreaM2') ?? 0, f.int('beds', { min: 0 }),
      ], inst);
    },
  },
  practitioners: {
    kind: 'practitioners', table: 'practitioners', key: ['id'], needs: set('org'),
    columns: ['id', 'institution_id', 'department_id', 'title'],
    parse(src, { ref }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      const dept = f.text('departmentId');
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      checkRef(f, ref.departments, dept, 'departmentId', 'unknown-department', 'department', inst);
      const title = f.enumOf('title', ['resident', 'attending', 'associate-chief', 'chief', 'nurse', 'technician', 'pharmacist'] as const);
      return done(f, [f.text('id'), inst, dept, title], inst);
    },
  },
  persons: {
    kind: 'persons', table: 'persons', key: ['id'], needs: set(),
    columns: ['id', 'sex', 'birth_date', 'scheme', 'person_type', 'region_code'],
    parse(src, { pseudonymise }) {
      const f = new Fields(src);
      const idNumber = f.text('idNumber');
      // The id number itself is never stored or logged: only its keyed pseudonym.
      const id = idNumber === '' ? '' : pseudonymise(idNumber);
      return done(f, [id, f.enumOf('sex', SEXES), f.date('birthDate'), f.enumOf('scheme', SCHEMES), f.enumOf('personType', PERSON_TYPES), f.text('regionCode')], '');
    },
  },
  catalog: {
    kind: 'catalog', table: 'catalog_items', key: ['code'], needs: set('catalog'),
    columns: [
      'code', 'item_id', 'name', 'category', 'pay_class', 'unit', 'price_cap_fen', 'self_pay_first_permille', 'restrict_sex', 'min_age_years',
      'max_age_years', 'min_institution_level', 'indication_prefixes', 'benefit_types', 'max_quantity_per_day', 'effective_from', 'effective_to',
    ],
    parse(src, { ref }) {
      const f = new Fields(src);
      const code = f.text('code');
      // Tier 3 of the code mapping: a stable internal integer id per national code.
      let itemId = ref.catalog.get(code)?.itemId;
      if (itemId === undefined && code !== '') {
        itemId = ref.nextItemId++;
        ref.catalog.set(code, { itemId, category: '', payClass: '' });
      }
      const benefit = f.list('benefitTypes');
      for (const b of benefit) if (!(BENEFIT_TYPES as readonly string[]).includes(b)) f.add('invalid-enum', 'benefitTypes', `benefit type "${b}" is not one of ${BENEFIT_TYPES.join(', ')}`);
      const from = f.date('effectiveFrom');
      const to = f.date('effectiveTo');
      if (from && to && to < from) f.add('invalid-date', 'effectiveTo', `effectiveTo ${to} is before effectiveFrom ${from}`);
      const qpd = f.decimal('maxQuantityPerDay', false);
      return done(f, [
        code, itemId ?? 0, f.text('name'), f.enumOf('category', CHARGE_CATEGORIES), f.enumOf('payClass', PAY_CLASSES), f.text('unit', false),
        f.money('priceCap'), f.int('selfPayFirstPermille', { min: 0, max: 1000 }), f.enumOf('restrictSex', SEXES, false),
        f.int('minAgeYears', { min: 0, max: 150, required: false }), f.int('maxAgeYears', { min: 0, max: 150, required: false }),
        f.enumOf('minInstitutionLevel', INSTITUTION_LEVELS, false), f.list('indicationPrefixes').join('|'), benefit.join('|'),
        qpd, from, to,
      ], '');
    },
  },
  codeMap: {
    kind: 'codeMap', table: 'code_mappings', key: ['institution_id', 'local_code'], needs: set('org', 'catalog'),
    columns: ['institution_id', 'local_code', 'national_code'],
    parse(src, { ref }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      const national = f.text('nationalCode');
      if (national !== '' && !ref.catalog.has(national)) f.add('unknown-item-code', 'nationalCode', `national code "${national}" is not in the catalog`);
      return done(f, [inst, f.text('localCode'), national], inst);
    },
  },
  encounters: {
    kind: 'encounters', table: 'encounters', key: ['id'], needs: set('org', 'persons'),
    columns: [
      'id', 'institution_id', 'department_id', 'person_id', 'doctor_id', 'kind', 'benefit_type', 'scheme', 'sex', 'age_years', 'age_days',
      'birth_weight_grams', 'admit_date', 'discharge_date', 'discharge_type', 'los_days', 'diagnoses', 'procedures',
    ],
    parse(src, { ref, codes, pseudonymise }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      const dept = f.text('departmentId');
      const doctor = f.text('doctorId');
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      checkRef(f, ref.departments, dept, 'departmentId', 'unknown-department', 'department', inst);
      checkRef(f, ref.practitioners, doctor, 'doctorId', 'unknown-doctor', 'doctor', inst);
      const idNumber = f.text('personIdNumber');
      const personId = idNumber === '' ? '' : pseudonymise(idNumber);
      const personSex = ref.persons.get(personId);
      if (personId !== '' && personSex === undefined) f.add('unknown-person', 'personIdNumber', 'the insured person is not known (import persons first)');
      const kind = f.enumOf('kind', ENCOUNTER_KINDS);
      const sex: string = f.enumOf('sex', SEXES);
      if (personSex !== undefined && sex !== '' && sex !== personSex) f.add('sex-mismatch', 'sex', `sex ${sex} differs from the insured person's registered sex ${personSex}`);
      const admit = f.date('admitDate');
      const discharge = f.date('dischargeDate');
      const los = f.int('losDays', { min: -100000 }) ?? 0;
      if (admit && discharge && discharge < admit) f.add('discharge-before-admission', 'dischargeDate', `discharge ${discharge} is before admission ${admit}`);
      if (kind === 'inpatient') {
        if (los <= 0) f.add('los-not-positive', 'losDays', `inpatient length of stay must be ≥ 1 day, got ${los}`);
        else if (admit && discharge && discharge >= admit) {
          // 住院天数 = discharge − admission; a same-day stay counts as 1 day.
          const expected = Math.max(1, daysBetween(admit, discharge));
          if (los !== expected) f.add('los-inconsistent', 'losDays', `losDays ${los} does not match ${admit}..${discharge} (${expected} days)`);
        }
      } else if (los < 0) f.add('los-not-positive', 'losDays', `length of stay cannot be negative, got ${los}`);
      const diagnoses = f.list('diagnoses');
      if (diagnoses.length === 0) f.add('missing-field', 'diagnoses', 'at least the principal diagnosis is required');
      diagnoses.forEach((d, i) => {
        if (!codes.diagnoses.has(d)) f.add('unknown-diagnosis', `diagnoses[${i}]`, `${d} is not in the national insurance ICD-10 edition (${codes.sources.join(', ')})`);
        else if (sex !== '') {
          const s = diagnosisSex(d, codes.sexBlocks);
          if (s && s.sex !== sex) f.add('diagnosis-sex-conflict', `diagnoses[${i}]`, `${d} (${s.nameZh}) is inconsistent with sex ${sex === '1' ? '男' : '女'}`);
        }
      });
      const procedures = f.list('procedures');
      procedures.forEach((p, i) => {
        if (!codes.procedures.has(p)) f.add('unknown-procedure', `procedures[${i}]`, `${p} is not in the national insurance ICD-9-CM-3 edition`);
      });
      const age = f.int('ageYears', { min: 0, max: 130 });
      return done(f, [
        f.text('id'), inst, dept, personId, doctor, kind, f.enumOf('benefitType', BENEFIT_TYPES), f.enumOf('scheme', SCHEMES), sex, age,
        f.int('ageDays', { min: 0, required: false }) ?? 0, f.int('birthWeightGrams', { min: 0, required: false }) ?? 0, admit, discharge,
        f.enumOf('dischargeType', DISCHARGE_TYPES), los, diagnoses.join('|'), procedures.join('|'),
      ], inst);
    },
  },
  settlementLines: {
    kind: 'settlementLines', table: 'settlement_lines', key: ['id'], needs: set('org', 'catalog', 'codeMap', 'encounters'),
    columns: [
      'id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity',
      'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at',
    ],
    parse(src, { ref }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      const encId = f.text('encounterId');
      const enc = ref.encounters.get(encId);
      if (encId !== '' && enc === undefined) f.add('unknown-encounter', 'encounterId', `encounter "${encId}" is not known (import encounters first)`);
      else if (enc && inst !== '' && enc.institutionId !== inst) f.add('institution-mismatch', 'institutionId', `line's institution ${inst} differs from its encounter's ${enc.institutionId}`);
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      const doctor = f.text('doctorId');
      const dept = f.text('departmentId');
      checkRef(f, ref.practitioners, doctor, 'doctorId', 'unknown-doctor', 'doctor', inst);
      checkRef(f, ref.departments, dept, 'departmentId', 'unknown-department', 'department', inst);
      // Three-tier mapping: local code → national code (code-map) → internal item id (catalog).
      const localCode = f.text('localCode', false);
      let itemCode = f.text('itemCode', false);
      if (itemCode === '') {
        if (localCode === '') f.add('missing-field', 'itemCode', 'itemCode is empty and there is no localCode to map');
        else {
          const mapped = ref.codeMap.get(`${inst}\u0000${localCode}`);
          if (mapped === undefined) f.add('unmapped-local-code', 'localCode', `local code "${localCode}" of ${inst} has no national mapping`);
          else itemCode = mapped;
        }
      }
      const item = itemCode === '' ? undefined : ref.catalog.get(itemCode);
      if (itemCode !== '' && item === undefined) f.add('unknown-item-code', 'itemCode', `"${itemCode}" is not in the catalog`);
      const category = f.enumOf('category', CHARGE_CATEGORIES);
      const payClass = f.enumOf('payClass', PAY_CLASSES);
      const quantity = f.decimal('quantity') ?? 0;
      if (quantity <= 0) f.add('quantity-not-positive', 'quantity', `quantity must be > 0, got ${quantity}`);
      const unitPrice = f.money('unitPrice');
      const amount = f.money('amount');
      if (unitPrice < 0) f.add('invalid-money', 'unitPriceFen', `unit price cannot be negative: ${unitPrice}`);
      if (quantity > 0 && unitPrice >= 0) {
        const expected = lineAmountFen(quantity, unitPrice);
        if (amount !== expected) f.add('amount-mismatch', 'amountFen', `amount ${amount} ≠ quantity ${quantity} × unit price ${unitPrice} = ${expected} fen`);
      }
      const chargedAt = f.timestamp('chargedAt');
      return done(f, [
        f.text('id'), encId, inst, localCode, itemCode, item?.itemId ?? 0, f.text('itemName', false), category, payClass, quantity, unitPrice, amount,
        doctor, dept, chargedAt,
      ], inst, amount);
    },
  },
  departmentCosts: {
    kind: 'departmentCosts', table: 'department_costs', key: ['institution_id', 'department_id', 'month', 'cost_item'], needs: set('org'),
    columns: ['institution_id', 'department_id', 'month', 'cost_item', 'amount_fen', 'direct'],
    parse(src, { ref }) {
      const f = new Fields(src);
      const inst = f.text('institutionId');
      const dept = f.text('departmentId');
      checkRef(f, ref.institutions, inst, 'institutionId', 'unknown-institution', 'institution');
      checkRef(f, ref.departments, dept, 'departmentId', 'unknown-department', 'department', inst);
      const amount = f.money('amount');
      if (amount < 0) f.add('invalid-money', 'amountFen', `cost cannot be negative: ${amount}`);
      return done(f, [inst, dept, f.month('month'), f.enumOf('costItem', COST_ITEMS), amount, f.bool('direct')], inst, amount);
    },
  },
};

/** Which kind a file is, from its name (region file names, with .csv/.jsonl/.ndjson). */
export function kindOfFile(fileName: string): RegionFileKind | undefined {
  const base = fileName.replace(/\.(csv|jsonl|ndjson|json)$/i, '');
  const byName: Record<string, RegionFileKind> = {
    institutions: 'institutions', departments: 'departments', practitioners: 'practitioners', persons: 'persons', catalog: 'catalog',
    'code-map': 'codeMap', encounters: 'encounters', 'settlement-lines': 'settlementLines', 'department-costs': 'departmentCosts',
  };
  return byName[base];
}
