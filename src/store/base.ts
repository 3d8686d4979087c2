/**
 * Typed reads shared by both backends: they only use the portable primitives (`query`, `stream`),
 * so DuckDB and PostgreSQL return identical domain values.
 */
import type {
  CatalogItem,
  CodeMapping,
  Department,
  DepartmentCost,
  Encounter,
  Institution,
  InsuredPerson,
  Practitioner,
  SettlementLine,
} from '../domain/index.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Dialect, EncounterFilter, ExecOptions, LineFilter, Row, SqlValue, Store } from './store.js';

const splitList = (v: SqlValue | undefined): string[] => (typeof v === 'string' && v !== '' ? v.split('|') : []);
const str = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const num = (v: SqlValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));

export function toInstitution(r: Row): Institution {
  return { id: str(r.id), name: str(r.name), level: str(r.level) as Institution['level'], kind: str(r.kind) as Institution['kind'], regionCode: str(r.region_code) };
}
export function toDepartment(r: Row): Department {
  return {
    id: str(r.id), institutionId: str(r.institution_id), name: str(r.name), deptCode: str(r.dept_code),
    costCategory: str(r.cost_category) as Department['costCategory'], parentId: str(r.parent_id),
    staffCount: num(r.staff_count), floorAreaM2: num(r.floor_area_m2), beds: num(r.beds),
  };
}
export function toPractitioner(r: Row): Practitioner {
  return { id: str(r.id), institutionId: str(r.institution_id), departmentId: str(r.department_id), title: str(r.title) as Practitioner['title'] };
}
export function toPerson(r: Row): InsuredPerson {
  return {
    id: str(r.id), sex: str(r.sex) as InsuredPerson['sex'], birthDate: str(r.birth_date), scheme: str(r.scheme) as InsuredPerson['scheme'],
    personType: str(r.person_type) as InsuredPerson['personType'], regionCode: str(r.region_code),
  };
}
export function toCatalogItem(r: Row): CatalogItem {
  const restrictions: CatalogItem['restrictions'] = {};
  if (r.restrict_sex) restrictions.sex = str(r.restrict_sex) as '1' | '2';
  if (r.min_age_years !== null && r.min_age_years !== undefined) restrictions.minAgeYears = num(r.min_age_years);
  if (r.max_age_years !== null && r.max_age_years !== undefined) restrictions.maxAgeYears = num(r.max_age_years);
  if (r.min_institution_level) restrictions.minInstitutionLevel = str(r.min_institution_level) as '1' | '2' | '3';
  const ind = splitList(r.indication_prefixes);
  if (ind.length) restrictions.indicationPrefixes = ind;
  const bt = splitList(r.benefit_types);
  if (bt.length) restrictions.benefitTypes = bt as NonNullable<CatalogItem['restrictions']['benefitTypes']>;
  if (r.max_quantity_per_day !== null && r.max_quantity_per_day !== undefined) restrictions.maxQuantityPerDay = num(r.max_quantity_per_day);
  return {
    code: str(r.code), name: str(r.name), category: str(r.category) as CatalogItem['category'], payClass: str(r.pay_class) as CatalogItem['payClass'],
    unit: str(r.unit), priceCapFen: num(r.price_cap_fen), selfPayFirstPermille: num(r.self_pay_first_permille), restrictions,
    effectiveFrom: str(r.effective_from), effectiveTo: str(r.effective_to),
  };
}
export function toEncounter(r: Row): Encounter {
  return {
    id: str(r.id), institutionId: str(r.institution_id), departmentId: str(r.department_id), personId: str(r.person_id),
    doctorId: str(r.doctor_id), kind: str(r.kind) as Encounter['kind'], benefitType: str(r.benefit_type) as Encounter['benefitType'],
    scheme: str(r.scheme) as Encounter['scheme'], sex: str(r.sex) as Encounter['sex'], ageYears: num(r.age_years), ageDays: num(r.age_days),
    birthWeightGrams: num(r.birth_weight_grams), admitDate: str(r.admit_date), dischargeDate: str(r.discharge_date),
    dischargeType: str(r.discharge_type) as Encounter['dischargeType'], losDays: num(r.los_days),
    diagnoses: splitList(r.diagnoses), procedures: splitList(r.procedures),
  };
}
export function toLine(r: Row): SettlementLine {
  return {
    id: str(r.id), encounterId: str(r.encounter_id), institutionId: str(r.institution_id), localCode: str(r.local_code),
    itemCode: str(r.item_code), itemName: str(r.item_name), category: str(r.category) as SettlementLine['category'],
    payClass: str(r.pay_class) as SettlementLine['payClass'], quantity: num(r.quantity), unitPriceFen: num(r.unit_price_fen),
    amountFen: num(r.amount_fen), doctorId: str(r.doctor_id), departmentId: str(r.department_id), chargedAt: str(r.charged_at),
  };
}

/** Builds a WHERE clause from optional equality / range conditions with positional parameters. */
export function where(conds: ReadonlyArray<[string, SqlValue | undefined]>): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [expr, value] of conds) {
    if (value === undefined) continue;
    params.push(value);
    parts.push(expr.replace('?', `$${params.length}`));
  }
  return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

export abstract class SqlStore implements Store {
  abstract readonly dialect: Dialect;
  abstract readonly location: string;
  abstract query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  abstract exec(sql: string, params?: readonly SqlValue[], opts?: ExecOptions): Promise<void>;
  abstract withTransaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  abstract appendRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  abstract copyCsvFile(table: string, columns: readonly string[], path: string): Promise<void>;
  abstract close(): Promise<void>;
  /** Stream a query's rows in batches (backend-specific cursor). */
  protected abstract streamQuery(sql: string, params: readonly SqlValue[], batchSize: number): AsyncIterable<Row[]>;

  async migrate(): Promise<void> {
    await this.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id VARCHAR PRIMARY KEY, applied_at VARCHAR NOT NULL)`);
    const applied = new Set((await this.query(`SELECT id FROM schema_migrations`)).map((r) => String(r.id)));
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      await this.withTransaction(async (tx) => {
        for (const stmt of m.up(this.dialect)) await tx.exec(stmt);
        await tx.exec(`INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)`, [m.id, new Date().toISOString()]);
      });
    }
  }

  async listInstitutions(): Promise<Institution[]> {
    return (await this.query(`SELECT * FROM institutions ORDER BY id`)).map(toInstitution);
  }
  async listDepartments(institutionId?: string): Promise<Department[]> {
    const w = where([['institution_id = ?', institutionId]]);
    return (await this.query(`SELECT * FROM departments${w.sql} ORDER BY id`, w.params)).map(toDepartment);
  }
  async listPractitioners(institutionId?: string): Promise<Practitioner[]> {
    const w = where([['institution_id = ?', institutionId]]);
    return (await this.query(`SELECT * FROM practitioners${w.sql} ORDER BY id`, w.params)).map(toPractitioner);
  }
  async listCatalog(): Promise<CatalogItem[]> {
    return (await this.query(`SELECT * FROM catalog_items ORDER BY code`)).map(toCatalogItem);
  }
  async listCodeMappings(institutionId?: string): Promise<CodeMapping[]> {
    const w = where([['institution_id = ?', institutionId]]);
    const rows = await this.query(`SELECT * FROM code_mappings${w.sql} ORDER BY institution_id, local_code`, w.params);
    return rows.map((r) => ({ institutionId: str(r.institution_id), localCode: str(r.local_code), nationalCode: str(r.national_code) }));
  }
  async listDepartmentCosts(filter: { institutionId?: string; monthFrom?: string; monthTo?: string } = {}): Promise<DepartmentCost[]> {
    const w = where([
      ['institution_id = ?', filter.institutionId],
      ['month >= ?', filter.monthFrom],
      ['month <= ?', filter.monthTo],
    ]);
    const rows = await this.query(`SELECT * FROM department_costs${w.sql} ORDER BY institution_id, department_id, month, cost_item`, w.params);
    return rows.map((r) => ({
      institutionId: str(r.institution_id), departmentId: str(r.department_id), month: str(r.month),
      costItem: str(r.cost_item) as DepartmentCost['costItem'], amountFen: num(r.amount_fen), direct: r.direct === true,
    }));
  }
  async getPerson(personId: string): Promise<InsuredPerson | undefined> {
    const [r] = await this.query(`SELECT * FROM persons WHERE id = $1`, [personId]);
    return r ? toPerson(r) : undefined;
  }
  async getEncounter(encounterId: string): Promise<Encounter | undefined> {
    const [r] = await this.query(`SELECT * FROM encounters WHERE id = $1`, [encounterId]);
    return r ? toEncounter(r) : undefined;
  }
  async getLines(encounterId: string): Promise<SettlementLine[]> {
    return (await this.query(`SELECT * FROM settlement_lines WHERE encounter_id = $1 ORDER BY charged_at, id`, [encounterId])).map(toLine);
  }
  async *streamEncounters(filter: EncounterFilter = {}, batchSize = 10_000): AsyncIterable<Encounter[]> {
    const w = where([
      ['kind = ?', filter.kind],
      ['institution_id = ?', filter.institutionId],
      ['discharge_date >= ?', filter.dischargeFrom],
      ['discharge_date <= ?', filter.dischargeTo],
    ]);
    const order = filter.orderBy === 'id' ? 'id' : 'admit_date, id';
    for await (const rows of this.streamQuery(`SELECT * FROM encounters${w.sql} ORDER BY ${order}`, w.params, batchSize)) {
      yield rows.map(toEncounter);
    }
  }
  async *streamLines(filter: LineFilter = {}, batchSize = 50_000): AsyncIterable<SettlementLine[]> {
    const kindJoin = filter.encounterKind !== undefined;
    const w = where([
      ['l.institution_id = ?', filter.institutionId],
      ['l.charged_at >= ?', filter.chargedFrom],
      // chargedTo is an inclusive date: compare against the next day's start lexically.
      ['l.charged_at < ?', filter.chargedTo === undefined ? undefined : `${filter.chargedTo}T99`],
      ['e.kind = ?', filter.encounterKind],
    ]);
    const from = kindJoin ? `settlement_lines l JOIN encounters e ON e.id = l.encounter_id` : `settlement_lines l`;
    for await (const rows of this.streamQuery(`SELECT l.* FROM ${from}${w.sql} ORDER BY l.encounter_id, l.charged_at, l.id`, w.params, batchSize)) {
      yield rows.map(toLine);
    }
  }
}
