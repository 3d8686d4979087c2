/**
 * A minimal ADRG-level evaluator of the CHS-DRG scheme conditions (data/schemes/chs-drg-*\/scheme.json,
 * FORMAT.md §4). It exists so the seed script can keep only template codes that really group into
 * the intended ADRG, and so tests can check generated cases; it is NOT the DRG engine (src/drg/):
 * it stops at the ADRG (no CC/MCC severity split) and reads only what the entry conditions need.
 */

export type Condition = Record<string, unknown>;

export interface SchemeLike {
  mdcOrder: string[];
  mdcs: Record<string, { entry: Condition; adrgs: string[]; ambiguous?: { before: string | null; when: Condition; code: string }[]; ambiguousOnEntryFailure?: { when: Condition; code: string }[] }>;
  adrgs: Record<string, { mdc: string; entry: Condition }>;
  lists: Record<string, string[]>;
  tagTables?: Record<string, Record<string, string>>;
}

export interface AdrgRecord {
  gender: '1' | '2';
  ageYears: number;
  ageDays: number;
  weightGrams: number;
  diagnoses: readonly string[];
  procedures: readonly string[];
}

export interface AdrgResult {
  status: 'SUCCESS' | 'QY' | 'FAIL';
  /** ADRG code on SUCCESS, ambiguous code (e.g. `GQY`) on QY, '' on FAIL */
  code: string;
}

/** Compiled scheme: lists as sets so the evaluator is fast enough for tests over thousands of cases. */
export interface CompiledScheme {
  scheme: SchemeLike;
  sets: Map<string, Set<string>>;
  validProcedures: Set<string>;
}

export function compileScheme(scheme: SchemeLike, validProcedures: readonly string[]): CompiledScheme {
  const sets = new Map<string, Set<string>>();
  for (const [name, codes] of Object.entries(scheme.lists)) sets.set(name, new Set(codes));
  return { scheme, sets, validProcedures: new Set(validProcedures) };
}

function bounds(value: number, b: Record<string, number>): boolean {
  if (Number.isNaN(value)) return false;
  for (const [k, v] of Object.entries(b)) {
    if (k === 'eq' && !(value === v)) return false;
    if (k === 'gt' && !(value > v)) return false;
    if (k === 'gte' && !(value >= v)) return false;
    if (k === 'lt' && !(value < v)) return false;
    if (k === 'lte' && !(value <= v)) return false;
  }
  return true;
}

function evaluate(c: CompiledScheme, cond: Condition, r: AdrgRecord): boolean {
  const [kind, arg] = Object.entries(cond)[0] as [string, unknown];
  const list = (name: unknown): Set<string> => c.sets.get(name as string) ?? new Set<string>();
  switch (kind) {
    case 'always':
      return true;
    case 'all':
      return (arg as Condition[]).every((x) => evaluate(c, x, r));
    case 'any':
      return (arg as Condition[]).some((x) => evaluate(c, x, r));
    case 'not':
      return !evaluate(c, arg as Condition, r);
    case 'principalDiagnosisIn':
      return r.diagnoses.length > 0 && list(arg).has(r.diagnoses[0]!);
    case 'anyDiagnosisIn':
      return r.diagnoses.some((d) => list(arg).has(d));
    case 'secondaryDiagnosisIn':
      return r.diagnoses.slice(1).some((d) => list(arg).has(d));
    case 'anyDiagnosisStartsWith':
      return r.diagnoses.some((d) => d.startsWith(arg as string));
    case 'diagnosisCount':
      return bounds(r.diagnoses.length, arg as Record<string, number>);
    case 'principalProcedureIn':
      return r.procedures.length > 0 && list(arg).has(r.procedures[0]!);
    case 'anyProcedureIn':
      return r.procedures.some((p) => list(arg).has(p));
    case 'principalProcedureValid':
      return r.procedures.length > 0 && c.validProcedures.has(r.procedures[0]!);
    case 'anyProcedureValid':
      return r.procedures.some((p) => c.validProcedures.has(p));
    case 'gender':
      return r.gender === arg;
    case 'ageYears':
      return bounds(r.ageYears, arg as Record<string, number>);
    case 'ageDays':
      return bounds(r.ageDays, arg as Record<string, number>);
    case 'weightGrams':
      return bounds(r.weightGrams, arg as Record<string, number>);
    case 'procedureTagPresent': {
      const { table, tag } = arg as { table: string; tag: string };
      const t = c.scheme.tagTables?.[table] ?? {};
      return r.procedures.some((p) => t[p] === tag);
    }
    case 'distinctDiagnosisTagsAtLeast': {
      const { table, min } = arg as { table: string; min: number };
      const t = c.scheme.tagTables?.[table] ?? {};
      const tags = new Set<string>();
      for (const d of r.diagnoses) if (t[d] !== undefined) tags.add(t[d]!);
      return tags.size >= min;
    }
    // Severity conditions only matter below the ADRG; treat them as unknown here on purpose.
    case 'hasMcc':
    case 'hasCc':
      return false;
    default:
      throw new Error(`adrg-check: unknown condition kind "${kind}"`);
  }
}

/** Group a record to its ADRG (or ambiguous code) following FORMAT.md §4.2, without the DRG split. */
export function groupAdrg(c: CompiledScheme, r: AdrgRecord): AdrgResult {
  const s = c.scheme;
  for (const m of s.mdcOrder) {
    const mdc = s.mdcs[m]!;
    if (!evaluate(c, mdc.entry, r)) {
      for (const q of mdc.ambiguousOnEntryFailure ?? []) if (evaluate(c, q.when, r)) return { status: 'QY', code: q.code };
      continue;
    }
    for (const a of mdc.adrgs) {
      for (const q of mdc.ambiguous ?? []) if (q.before === a && evaluate(c, q.when, r)) return { status: 'QY', code: q.code };
      const adrg = s.adrgs[a];
      if (adrg && evaluate(c, adrg.entry, r)) return { status: 'SUCCESS', code: a };
    }
    for (const q of mdc.ambiguous ?? []) if (q.before === null && evaluate(c, q.when, r)) return { status: 'QY', code: q.code };
  }
  return { status: 'FAIL', code: '' };
}
