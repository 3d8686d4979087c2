/**
 * Compiles scheme data (FORMAT.md § 4.4 condition trees, code tables) into closures over sets
 * and maps, once per scheme; the grouper then only calls them. Pure: takes parsed JSON.
 */
import { MedfundError, issue } from '../domain/index.js';
import type {
  RuleIndex,
  Bounds,
  CompiledMdc,
  CompiledStep,
  Condition,
  EvalContext,
  Predicate,
  Scheme,
  SchemeTables,
} from './types.js';

const TRUE: Predicate = () => true;

function compileBounds(b: Bounds): (x: number) => boolean {
  const tests: Array<(x: number) => boolean> = [];
  if (b.eq !== undefined) { const v = b.eq; tests.push((x) => x === v); }
  if (b.gt !== undefined) { const v = b.gt; tests.push((x) => x > v); }
  if (b.gte !== undefined) { const v = b.gte; tests.push((x) => x >= v); }
  if (b.lt !== undefined) { const v = b.lt; tests.push((x) => x < v); }
  if (b.lte !== undefined) { const v = b.lte; tests.push((x) => x <= v); }
  if (tests.length === 0) throw new Error('empty bounds');
  if (tests.length === 1) return tests[0]!;
  // NaN fails every comparison, so it satisfies no bound (FORMAT.md § 4.4).
  return (x) => {
    for (const t of tests) if (!t(x)) return false;
    return true;
  };
}

export function describeBounds(b: Bounds): string {
  const parts: string[] = [];
  if (b.eq !== undefined) parts.push(`=${b.eq}`);
  if (b.gt !== undefined) parts.push(`>${b.gt}`);
  if (b.gte !== undefined) parts.push(`≥${b.gte}`);
  if (b.lt !== undefined) parts.push(`<${b.lt}`);
  if (b.lte !== undefined) parts.push(`≤${b.lte}`);
  return parts.join(',');
}

/** A short, readable form of a condition tree for traces, e.g. `all(principalDiagnosisIn MDCB, ageYears =0)`. */
export function describeCondition(c: Condition): string {
  const [key, value] = Object.entries(c)[0] ?? ['?', undefined];
  switch (key) {
    case 'always':
      return 'always';
    case 'all':
    case 'any':
      return `${key}(${(value as Condition[]).map(describeCondition).join(', ')})`;
    case 'not':
      return `not(${describeCondition(value as Condition)})`;
    case 'diagnosisCount':
    case 'ageYears':
    case 'ageDays':
    case 'weightGrams':
      return `${key} ${describeBounds(value as Bounds)}`;
    case 'principalProcedureValid':
    case 'anyProcedureValid':
    case 'hasMcc':
    case 'hasCc':
      return key;
    case 'procedureTagPresent': {
      const v = value as { table: string; tag: string };
      return `procedureTagPresent ${v.table}=${v.tag}`;
    }
    case 'distinctDiagnosisTagsAtLeast': {
      const v = value as { table: string; min: number };
      return `distinctDiagnosisTagsAtLeast ${v.table} ≥${v.min}`;
    }
    default:
      return `${key} ${String(value)}`;
  }
}

interface CompileEnv {
  readonly schemeName: string;
  readonly lists: ReadonlyMap<string, ReadonlySet<string>>;
  readonly tagTables: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly validProcedures: ReadonlySet<string>;
  readonly severity: (ctx: EvalContext) => number;
}

function fail(env: CompileEnv, where: string, message: string): never {
  throw new MedfundError([issue('scheme-invalid', where, `${env.schemeName}: ${message}`)]);
}

function list(env: CompileEnv, name: unknown, where: string): ReadonlySet<string> {
  const s = typeof name === 'string' ? env.lists.get(name) : undefined;
  if (!s) fail(env, where, `unknown code list ${JSON.stringify(name)}`);
  return s;
}

function tagTable(env: CompileEnv, name: unknown, where: string): ReadonlyMap<string, string> {
  const t = typeof name === 'string' ? env.tagTables.get(name) : undefined;
  if (!t) fail(env, where, `unknown tag table ${JSON.stringify(name)}`);
  return t;
}

/**
 * Rough evaluation cost of a condition, used to test cheap children of `all` / `any` first. The
 * nodes are pure (severity is memoised per case), so the order cannot change a result.
 */
export function conditionCost(c: Condition): number {
  const [key, value] = Object.entries(c)[0] ?? ['always', true];
  switch (key) {
    case 'all':
    case 'any':
      return (value as Condition[]).reduce((a, x) => a + conditionCost(x), 0);
    case 'not':
      return conditionCost(value as Condition);
    case 'anyDiagnosisIn':
    case 'secondaryDiagnosisIn':
    case 'anyDiagnosisStartsWith':
    case 'anyProcedureIn':
    case 'anyProcedureValid':
    case 'procedureTagPresent':
      return 4;
    case 'distinctDiagnosisTagsAtLeast':
    case 'hasMcc':
    case 'hasCc':
      return 8;
    default:
      return 1;
  }
}

function byCost(children: readonly Condition[]): Condition[] {
  return children
    .map((c, i) => ({ c, i, k: conditionCost(c) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.c);
}

/** Compile one condition node. Unknown node kinds, lists or tables are load-time errors. */
export function compileCondition(c: Condition, env: CompileEnv, where: string): Predicate {
  if (c === null || typeof c !== 'object') fail(env, where, `condition is not an object: ${JSON.stringify(c)}`);
  const keys = Object.keys(c);
  if (keys.length !== 1) fail(env, where, `condition must have exactly one key, has ${JSON.stringify(keys)}`);
  const key = keys[0]!;
  const value = (c as Record<string, unknown>)[key];
  switch (key) {
    case 'always':
      return TRUE;
    case 'all': {
      const parts = byCost(value as Condition[]).map((x, i) => compileCondition(x, env, `${where}.all[${i}]`));
      if (parts.length === 1) return parts[0]!;
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate];
        return (ctx) => a(ctx) && b(ctx);
      }
      return (ctx) => {
        for (const p of parts) if (!p(ctx)) return false;
        return true;
      };
    }
    case 'any': {
      const parts = byCost(value as Condition[]).map((x, i) => compileCondition(x, env, `${where}.any[${i}]`));
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate];
        return (ctx) => a(ctx) || b(ctx);
      }
      return (ctx) => {
        for (const p of parts) if (p(ctx)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileCondition(value as Condition, env, `${where}.not`);
      return (ctx) => !inner(ctx);
    }
    case 'principalDiagnosisIn': {
      const s = list(env, value, where);
      return (ctx) => ctx.dx.length > 0 && s.has(ctx.dx[0]!);
    }
    case 'anyDiagnosisIn': {
      const s = list(env, value, where);
      return (ctx) => {
        for (const d of ctx.dx) if (s.has(d)) return true;
        return false;
      };
    }
    case 'secondaryDiagnosisIn': {
      const s = list(env, value, where);
      return (ctx) => {
        const dx = ctx.dx;
        for (let i = 1; i < dx.length; i++) if (s.has(dx[i]!)) return true;
        return false;
      };
    }
    case 'anyDiagnosisStartsWith': {
      if (typeof value !== 'string') fail(env, where, 'anyDiagnosisStartsWith needs a text prefix');
      const prefix = value;
      return (ctx) => {
        for (const d of ctx.dx) if (d.startsWith(prefix)) return true;
        return false;
      };
    }
    case 'diagnosisCount': {
      const t = compileBounds(value as Bounds);
      return (ctx) => t(ctx.dx.length);
    }
    case 'principalProcedureIn': {
      const s = list(env, value, where);
      return (ctx) => ctx.px.length > 0 && s.has(ctx.px[0]!);
    }
    case 'anyProcedureIn': {
      const s = list(env, value, where);
      return (ctx) => {
        for (const p of ctx.px) if (s.has(p)) return true;
        return false;
      };
    }
    case 'principalProcedureValid': {
      const s = env.validProcedures;
      return (ctx) => ctx.px.length > 0 && s.has(ctx.px[0]!);
    }
    case 'anyProcedureValid': {
      const s = env.validProcedures;
      return (ctx) => {
        for (const p of ctx.px) if (s.has(p)) return true;
        return false;
      };
    }
    case 'gender': {
      const g = String(value);
      return (ctx) => ctx.gender === g;
    }
    case 'ageYears': {
      const t = compileBounds(value as Bounds);
      return (ctx) => t(ctx.age);
    }
    case 'ageDays': {
      const t = compileBounds(value as Bounds);
      return (ctx) => t(ctx.ageDays);
    }
    case 'weightGrams': {
      const t = compileBounds(value as Bounds);
      return (ctx) => t(ctx.weight);
    }
    case 'hasMcc': {
      const sev = env.severity;
      return (ctx) => (sev(ctx) & 1) !== 0;
    }
    case 'hasCc': {
      const sev = env.severity;
      return (ctx) => (sev(ctx) & 2) !== 0;
    }
    case 'procedureTagPresent': {
      const v = value as { table: string; tag: string };
      const t = tagTable(env, v.table, where);
      const tag = v.tag;
      return (ctx) => {
        for (const p of ctx.px) if (t.get(p) === tag) return true;
        return false;
      };
    }
    case 'distinctDiagnosisTagsAtLeast': {
      const v = value as { table: string; min: number };
      const t = tagTable(env, v.table, where);
      const min = v.min;
      return (ctx) => {
        const seen: string[] = [];
        for (const d of ctx.dx) {
          const tag = t.get(d);
          if (tag !== undefined && !seen.includes(tag)) {
            seen.push(tag);
            if (seen.length >= min) return true;
          }
        }
        return seen.length >= min;
      };
    }
    case 'fieldEmpty': {
      const field = value as 'gender' | 'age' | 'ageDays' | 'weightGrams';
      return (ctx) => {
        const v = ctx.raw[field];
        return v === undefined || v === null || v === '';
      };
    }
    default:
      return fail(env, where, `unknown condition kind "${key}"`);
  }
}

/** A necessary condition on the principal codes: the tree can only hold when the gate holds. */
export interface Gate {
  readonly px?: ReadonlySet<string>;
  readonly dx?: ReadonlySet<string>;
}

/**
 * Static analysis for speed: if `c` implies "principal procedure ∈ S" (or diagnosis), return S, so
 * the grouper can skip the rule with one set lookup. Sound by construction: `all` takes a child's
 * gate, `any` the union of its children's gates only when every child has one.
 */
export function gateOf(c: Condition, env: CompileEnv): Gate {
  const [key, value] = Object.entries(c)[0] ?? ['always', true];
  switch (key) {
    case 'principalProcedureIn':
      return { px: list(env, value, 'gate') };
    case 'principalProcedureValid':
      return { px: env.validProcedures };
    case 'principalDiagnosisIn':
      return { dx: list(env, value, 'gate') };
    case 'all': {
      let px: ReadonlySet<string> | undefined;
      let dx: ReadonlySet<string> | undefined;
      for (const child of value as Condition[]) {
        const g = gateOf(child, env);
        if (g.px && (!px || g.px.size < px.size)) px = g.px;
        if (g.dx && (!dx || g.dx.size < dx.size)) dx = g.dx;
      }
      return { ...(px ? { px } : {}), ...(dx ? { dx } : {}) };
    }
    case 'any': {
      const gates = (value as Condition[]).map((x) => gateOf(x, env));
      const out: { px?: ReadonlySet<string>; dx?: ReadonlySet<string> } = {};
      if (gates.every((g) => g.px)) out.px = gates.length === 1 ? gates[0]!.px! : new Set(gates.flatMap((g) => [...g.px!]));
      if (gates.every((g) => g.dx)) out.dx = gates.length === 1 ? gates[0]!.dx! : new Set(gates.flatMap((g) => [...g.dx!]));
      return out;
    }
    default:
      return {};
  }
}

/**
 * Severity of a case (FORMAT.md § 4.5): bit 1 = has MCC, bit 2 = has CC, after exclusion by the
 * principal diagnosis' table. Each diagnosis is classified once, MCC first (cc and mcc tables are
 * disjoint in both national schemes, so this equals 1.1's separate tests).
 */
function makeSeverity(
  mcc: ReadonlyMap<string, string>,
  cc: ReadonlyMap<string, string>,
  exclusion: ReadonlyMap<string, string>,
  includePrincipal: boolean,
): (ctx: EvalContext) => number {
  const start = includePrincipal ? 0 : 1;
  return (ctx) => {
    if (ctx.severity >= 0) return ctx.severity;
    const dx = ctx.dx;
    let flags = 0;
    if (dx.length > 0) {
      const x = exclusion.get(dx[0]!);
      for (let i = start; i < dx.length; i++) {
        const d = dx[i]!;
        const m = mcc.get(d);
        if (m !== undefined) {
          if (m !== x) flags |= 1;
          continue;
        }
        const k = cc.get(d);
        if (k !== undefined && k !== x) flags |= 2;
      }
    }
    ctx.severity = flags;
    return flags;
  };
}

/** Gates larger than this stay a set check on the rule instead of index entries (memory). */
const INDEX_LIMIT = 5000;

/** Build a {@link RuleIndex}: each rule under its smaller gate, or `always`. */
export function buildRuleIndex(rules: readonly { gatePx?: ReadonlySet<string>; gateDx?: ReadonlySet<string> }[], forceAlways: (i: number) => boolean = () => false): RuleIndex {
  const byPx = new Map<string, number[]>();
  const byDx = new Map<string, number[]>();
  const always: number[] = [];
  const put = (m: Map<string, number[]>, set: ReadonlySet<string>, i: number) => {
    for (const code of set) {
      const l = m.get(code);
      if (l) l.push(i);
      else m.set(code, [i]);
    }
  };
  rules.forEach((r, i) => {
    const px = r.gatePx && r.gatePx.size <= INDEX_LIMIT ? r.gatePx : undefined;
    const dx = r.gateDx && r.gateDx.size <= INDEX_LIMIT ? r.gateDx : undefined;
    if (forceAlways(i) || (!px && !dx)) always.push(i);
    else if (px && (!dx || px.size <= dx.size)) put(byPx, px, i);
    else put(byDx, dx!, i);
  });
  return { byPx, byDx, always };
}

function toMap(o: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(o));
}

/**
 * Compile a scheme's tables into a {@link Scheme}. Throws MedfundError (`scheme-invalid`) naming the
 * offending rule when the data refers to a missing list, ADRG or DRG, or uses an unknown condition.
 */
export function compileScheme(tables: SchemeTables): Scheme {
  const { profile, scheme: raw } = tables;
  const lists = new Map<string, ReadonlySet<string>>();
  for (const [k, v] of Object.entries(raw.lists)) lists.set(k, new Set(v));
  const tagTables = new Map<string, ReadonlyMap<string, string>>();
  for (const [k, v] of Object.entries(raw.tagTables ?? {})) tagTables.set(k, toMap(v));
  const cc = toMap(tables.cc);
  const mcc = toMap(tables.mcc);
  const ccExclusion = toMap(tables.ccExclusion);
  const env: CompileEnv = {
    schemeName: profile.name,
    lists,
    tagTables,
    validProcedures: new Set(tables.validProcedures),
    severity: makeSeverity(mcc, cc, ccExclusion, profile.severityIncludesPrincipal),
  };

  const adrgInfo = new Map<string, { mdc: string; name: string }>();
  const drgInfo = new Map<string, { adrg: string; mdc: string; name: string }>();
  const mdcNames = new Map<string, string>();
  const mdcs: CompiledMdc[] = [];
  for (const mdcCode of raw.mdcOrder) {
    const m = raw.mdcs[mdcCode];
    if (!m) fail(env, `mdcOrder`, `MDC ${mdcCode} is in mdcOrder but not defined`);
    mdcNames.set(mdcCode, m.name);
    const ambiguous = m.ambiguous ?? [];
    for (const q of ambiguous) {
      if (q.before != null && !m.adrgs.includes(q.before)) fail(env, `mdcs.${mdcCode}.ambiguous`, `step before unknown ADRG ${q.before}`);
    }
    // Every compiled step / MDC lists all its keys (undefined when absent) so all share one hidden
    // class and the grouper's property reads stay monomorphic.
    const amb = (q: (typeof ambiguous)[number], i: number): CompiledStep => {
      const g = gateOf(q.when, env);
      return {
        kind: 'ambiguous',
        code: q.code,
        gatePx: g.px,
        gateDx: g.dx,
        test: compileCondition(q.when, env, `mdcs.${mdcCode}.ambiguous[${i}]`),
        rule: describeCondition(q.when),
        drgs: undefined,
      };
    };
    const steps: CompiledStep[] = [];
    for (const adrgCode of m.adrgs) {
      ambiguous.forEach((q, i) => {
        if (q.before === adrgCode) steps.push(amb(q, i));
      });
      const a = raw.adrgs[adrgCode];
      if (!a) fail(env, `mdcs.${mdcCode}.adrgs`, `unknown ADRG ${adrgCode}`);
      adrgInfo.set(adrgCode, { mdc: a.mdc, name: a.name });
      const drgs = a.drgs.map((drgCode) => {
        const d = raw.drgs[drgCode];
        if (!d) fail(env, `adrgs.${adrgCode}.drgs`, `unknown DRG ${drgCode}`);
        drgInfo.set(drgCode, { adrg: adrgCode, mdc: a.mdc, name: d.name });
        return { code: drgCode, test: compileCondition(d.when, env, `drgs.${drgCode}.when`), rule: describeCondition(d.when) };
      });
      const g = gateOf(a.entry, env);
      steps.push({
        kind: 'adrg',
        code: adrgCode,
        gatePx: g.px,
        gateDx: g.dx,
        test: compileCondition(a.entry, env, `adrgs.${adrgCode}.entry`),
        rule: describeCondition(a.entry),
        drgs,
      });
    }
    ambiguous.forEach((q, i) => {
      if (q.before == null) steps.push(amb(q, i));
    });
    const mg = gateOf(m.entry, env);
    mdcs.push({
      code: mdcCode,
      name: m.name,
      stepIndex: buildRuleIndex(steps),
      gatePx: mg.px,
      gateDx: mg.dx,
      entry: compileCondition(m.entry, env, `mdcs.${mdcCode}.entry`),
      rule: describeCondition(m.entry),
      steps,
      onEntryFailure: (m.ambiguousOnEntryFailure ?? []).map((q, i) => ({
        code: q.code,
        test: compileCondition(q.when, env, `mdcs.${mdcCode}.ambiguousOnEntryFailure[${i}]`),
        rule: describeCondition(q.when),
      })),
    });
  }
  // An MDC with on-entry-failure steps must be visited whenever its entry or one of those steps
  // can hold: index it under the union of their gates (same kind on all), else visit it always.
  const mdcIndexGates = mdcs.map((m) => {
    const raw0 = raw.mdcs[m.code]!;
    const fails = (raw0.ambiguousOnEntryFailure ?? []).map((q) => gateOf(q.when, env));
    if (fails.length === 0) return { gatePx: m.gatePx, gateDx: m.gateDx };
    const union = (sets: (ReadonlySet<string> | undefined)[]) =>
      sets.every((x) => x !== undefined) ? new Set(sets.flatMap((x) => [...x!])) : undefined;
    return { gatePx: union([m.gatePx, ...fails.map((g) => g.px)]), gateDx: union([m.gateDx, ...fails.map((g) => g.dx)]) };
  });
  // Names of codes that are not DRGs of an ADRG (the ambiguous xQY codes of 2.0).
  for (const [code, name] of Object.entries(tables.drgNames)) {
    if (!drgInfo.has(code)) drgInfo.set(code, { adrg: profile.results.ambiguousAdrg, mdc: `MDC${code.charAt(0)}`, name });
  }

  const validation = profile.validation.map((step, i) => ({
    step,
    test: compileCondition(step.failWhen, env, `profile.validation[${i}]`),
  }));

  return {
    name: profile.name,
    title: profile.title,
    version: raw.version,
    formatVersion: raw.formatVersion,
    profile,
    statuses: raw.statuses,
    mdcs,
    mdcIndex: buildRuleIndex(mdcIndexGates),
    validation,
    adrgInfo,
    drgInfo,
    mdcNames,
    cc,
    mcc,
    ccExclusion,
    ...(tables.diagnosisNames ? { diagnosisNames: tables.diagnosisNames } : {}),
    ...(tables.procedureNames ? { procedureNames: tables.procedureNames } : {}),
    ...(tables.diagnosisMap ? { diagnosisMap: toMap(tables.diagnosisMap) } : {}),
    ...(tables.procedureMap ? { procedureMap: toMap(tables.procedureMap) } : {}),
  };
}
