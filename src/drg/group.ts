/**
 * The grouper: FORMAT.md § 4 (validation, MDC → ADRG → DRG with fall-through and ambiguous
 * steps) over a compiled {@link Scheme}. Pure and total: every input gets a status, nothing throws.
 */
import type {
  DrgCase,
  EvalContext,
  GroupResult,
  GroupTrace,
  Scheme,
  SeverityItem,
  SeverityTrace,
} from './types.js';

const EMPTY: readonly string[] = [];

/** JavaScript `Number(text)` reading of a scalar (FORMAT.md § 2 "Numbers"); absent → NaN. */
function num(v: string | number | undefined): number {
  if (typeof v === 'number') return v;
  return v === undefined ? NaN : Number(v);
}

/**
 * CC/MCC analysis for the trace: which secondary (and, in 2.0, principal) diagnoses are MCC/CC and
 * which of them the principal diagnosis' exclusion table removed.
 */
export function analyseSeverity(diagnoses: readonly string[], scheme: Scheme): SeverityTrace {
  const principal = diagnoses[0] ?? '';
  const x = diagnoses.length > 0 ? scheme.ccExclusion.get(principal) : undefined;
  const items: SeverityItem[] = [];
  let hasMcc = false;
  let hasCc = false;
  const start = scheme.profile.severityIncludesPrincipal ? 0 : 1;
  for (let i = start; i < diagnoses.length; i++) {
    const d = diagnoses[i]!;
    const m = scheme.mcc.get(d);
    if (m !== undefined) {
      const excluded = m === x;
      if (!excluded) hasMcc = true;
      items.push({ position: i, code: d, level: 'mcc', table: m, excluded });
      continue;
    }
    const c = scheme.cc.get(d);
    if (c !== undefined) {
      const excluded = c === x;
      if (!excluded) hasCc = true;
      items.push({ position: i, code: d, level: 'cc', table: c, excluded });
    }
  }
  return { principal, exclusionTable: x ?? null, items, hasMcc, hasCc };
}

/**
 * Trace of a grouped, ambiguous or failed case. Its CC/MCC part is computed when first read (a
 * getter; `toJSON` includes it): grouping a million cases costs no analysis nobody reads. The
 * diagnosis list must therefore not be mutated after grouping.
 */
class LazyTrace implements GroupTrace {
  readonly #dx: readonly string[];
  readonly #scheme: Scheme;
  #severity: SeverityTrace | undefined;
  readonly scheme: string;
  constructor(
    scheme: Scheme,
    dx: readonly string[],
    readonly transcoded: readonly string[] | undefined,
    readonly mdcsEntered: readonly string[],
    readonly mdcRule: string | undefined,
    readonly adrg: string | undefined,
    readonly adrgRule: string | undefined,
    readonly drgRule: string | undefined,
    readonly ambiguousRule: string | undefined,
  ) {
    this.scheme = scheme.name;
    this.#scheme = scheme;
    this.#dx = dx;
  }
  get severity(): SeverityTrace {
    return (this.#severity ??= analyseSeverity(this.#dx, this.#scheme));
  }
  toJSON(): GroupTrace {
    const { scheme, transcoded, mdcsEntered, mdcRule, adrg, adrgRule, drgRule, ambiguousRule } = this;
    return { scheme, transcoded, mdcsEntered, mdcRule, adrg, adrgRule, drgRule, ambiguousRule, severity: this.severity };
  }
}

function makeTrace(
  scheme: Scheme,
  transcoded: readonly string[] | undefined,
  mdcsEntered: readonly string[],
  mdcRule: string | undefined,
  adrg: string | undefined,
  adrgRule: string | undefined,
  drgRule: string | undefined,
  ambiguousRule: string | undefined,
  dx: readonly string[],
  withSeverity: boolean,
): GroupTrace {
  if (!withSeverity) return { scheme: scheme.name, transcoded, mdcsEntered, mdcRule, adrg, adrgRule, drgRule, ambiguousRule };
  return new LazyTrace(scheme, dx, transcoded, mdcsEntered, mdcRule, adrg, adrgRule, drgRule, ambiguousRule);
}

function fixed(scheme: Scheme, status: string, trace: GroupTrace): GroupResult {
  const codes = scheme.profile.results.fixed[status] ?? { mdc: '', adrg: '', drg: '' };
  return { status, mdc: codes.mdc, adrg: codes.adrg, drg: codes.drg, trace };
}

/** FORMAT.md 1.1 § 4.1: map every code one step, rewriting the first position holding it. */
function transcode(
  codes: readonly string[],
  map: ReadonlyMap<string, string>,
  log: string[],
  label: string,
): string[] | string {
  const out = codes.slice();
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    const w = map.get(v);
    if (w === undefined) return v;
    if (w !== v) {
      const at = out.indexOf(v);
      out[at] = w;
      log.push(`${label}[${at}] ${v} → ${w}`);
    }
  }
  return out;
}

export interface GroupOptions {
  /** attach the trace's CC/MCC analysis (default true; computed lazily when first read) */
  readonly severityTrace?: boolean;
}

/**
 * Group one case under a scheme.
 *
 * @example
 * const scheme = loadScheme('chs-drg-2.0');
 * const r = group({ gender: '1', age: '85', ageDays: '31128', weightGrams: '',
 *   diagnoses: ['T46.100', 'I85.900x001'], procedures: ['52.8300', '55.6901', '39.2204'] }, scheme);
 * // { status: 'SUCCESS', mdc: 'MDCA', adrg: 'AC1', drg: 'AC19', trace: { mdcsEntered: ['MDCA'],
 * //   adrgRule: 'all(anyProcedureIn AC1.procedures, anyProcedureIn AC1.procedures2)', severity: {…} } }
 */
export function group(input: DrgCase, scheme: Scheme, options?: GroupOptions): GroupResult {
  const profile = scheme.profile;
  const results = profile.results;
  let dx = input.diagnoses ?? EMPTY;
  let px = input.procedures ?? EMPTY;
  let transcoded: string[] | undefined;
  if (scheme.diagnosisMap && scheme.procedureMap) {
    transcoded = [];
    const d = transcode(dx, scheme.diagnosisMap, transcoded, 'diagnoses');
    if (typeof d === 'string') {
      transcoded.push(`diagnosis ${JSON.stringify(d)} cannot be mapped`);
      return fixed(scheme, results.diagnosisNotMappedStatus ?? results.failStatus, { scheme: scheme.name, transcoded, mdcsEntered: EMPTY });
    }
    const p = transcode(px, scheme.procedureMap, transcoded, 'procedures');
    if (typeof p === 'string') {
      transcoded.push(`procedure ${JSON.stringify(p)} cannot be mapped`);
      return fixed(scheme, results.procedureNotMappedStatus ?? results.failStatus, { scheme: scheme.name, transcoded, mdcsEntered: EMPTY });
    }
    dx = d;
    px = p;
  }

  const ctx: EvalContext = {
    dx,
    px,
    gender: input.gender,
    age: num(input.age),
    ageDays: num(input.ageDays),
    weight: num(input.weightGrams),
    raw: input,
    severity: -1,
  };

  for (const v of scheme.validation) {
    if (v.test(ctx)) {
      const { code, path, message } = v.step;
      return fixed(scheme, results.checkFailedStatus, {
        scheme: scheme.name,
        validation: { code, path, message },
        ...(transcoded ? { transcoded } : {}),
        mdcsEntered: EMPTY,
      });
    }
  }
  if (ctx.gender !== undefined) {
    const alias = profile.genderAliases[ctx.gender];
    if (alias !== undefined && Object.hasOwn(profile.genderAliases, ctx.gender)) ctx.gender = alias;
  }

  const entered: string[] = [];
  const withSeverity = options?.severityTrace !== false;
  // principal codes for the gates (a gate is a necessary condition, see compile.ts gateOf)
  const px0 = px.length > 0 ? px[0]! : undefined;
  const dx0 = dx.length > 0 ? dx[0]! : undefined;
  const mdcs = scheme.mdcs;
  const mi = scheme.mdcIndex;
  // candidates by principal codes, merged in rule order (compile.ts buildRuleIndex)
  const mA = px0 !== undefined ? mi.byPx.get(px0) : undefined;
  const mB = dx0 !== undefined ? mi.byDx.get(dx0) : undefined;
  const mC = mi.always;
  const mNa = mA ? mA.length : 0;
  const mNb = mB ? mB.length : 0;
  const mNc = mC.length;
  let ma = 0;
  let mb = 0;
  let mc = 0;
  for (;;) {
    let next = 0x7fffffff;
    if (ma < mNa && mA![ma]! < next) next = mA![ma]!;
    if (mb < mNb && mB![mb]! < next) next = mB![mb]!;
    if (mc < mNc && mC[mc]! < next) next = mC[mc]!;
    if (next === 0x7fffffff) break;
    if (ma < mNa && mA![ma] === next) ma++;
    if (mb < mNb && mB![mb] === next) mb++;
    if (mc < mNc && mC[mc] === next) mc++;
    const m = mdcs[next]!;
    const entryHolds =
      (m.gatePx === undefined || (px0 !== undefined && m.gatePx.has(px0))) &&
      (m.gateDx === undefined || (dx0 !== undefined && m.gateDx.has(dx0))) &&
      m.entry(ctx);
    if (!entryHolds) {
      for (const q of m.onEntryFailure) {
        if (q.test(ctx)) {
          return {
            status: results.ambiguousStatus,
            mdc: `MDC${q.code.charAt(0)}`,
            adrg: results.ambiguousAdrg,
            drg: q.code,
            trace: makeTrace(scheme, transcoded, entered, `${m.code} entry failed: ${m.rule}`, undefined, undefined, undefined, q.rule, dx, withSeverity),
          };
        }
      }
      continue;
    }
    entered.push(m.code);
    const steps = m.steps;
    const si = m.stepIndex;
    const sA = px0 !== undefined ? si.byPx.get(px0) : undefined;
    const sB = dx0 !== undefined ? si.byDx.get(dx0) : undefined;
    const sC = si.always;
    const sNa = sA ? sA.length : 0;
    const sNb = sB ? sB.length : 0;
    const sNc = sC.length;
    let sa = 0;
    let sb = 0;
    let sc = 0;
    for (;;) {
      let k = 0x7fffffff;
      if (sa < sNa && sA![sa]! < k) k = sA![sa]!;
      if (sb < sNb && sB![sb]! < k) k = sB![sb]!;
      if (sc < sNc && sC[sc]! < k) k = sC[sc]!;
      if (k === 0x7fffffff) break;
      if (sa < sNa && sA![sa] === k) sa++;
      if (sb < sNb && sB![sb] === k) sb++;
      if (sc < sNc && sC[sc] === k) sc++;
      const step = steps[k]!;
      if (step.gatePx !== undefined && (px0 === undefined || !step.gatePx.has(px0))) continue;
      if (step.gateDx !== undefined && (dx0 === undefined || !step.gateDx.has(dx0))) continue;
      if (!step.test(ctx)) continue;
      if (step.kind === 'ambiguous') {
        return {
          status: results.ambiguousStatus,
          // FORMAT.md 2.0 § 3: the ambiguous code's letter decides the MDC (MQY from MDCN → MDCM).
          mdc: `MDC${step.code.charAt(0)}`,
          adrg: results.ambiguousAdrg,
          drg: step.code,
          trace: makeTrace(scheme, transcoded, entered, m.rule, undefined, undefined, undefined, step.rule, dx, withSeverity),
        };
      }
      for (const d of step.drgs!) {
        if (d.test(ctx)) {
          const info = scheme.drgInfo.get(d.code)!;
          const adrg = scheme.adrgInfo.get(info.adrg)!;
          return {
            status: results.successStatus,
            mdc: adrg.mdc,
            adrg: info.adrg,
            drg: d.code,
            trace: makeTrace(scheme, transcoded, entered, m.rule, step.code, step.rule, d.rule, undefined, dx, withSeverity),
          };
        }
      }
      if (profile.noDrgMatched === 'bare-adrg') {
        const adrg = scheme.adrgInfo.get(step.code)!;
        return {
          status: results.successStatus,
          mdc: adrg.mdc,
          adrg: step.code,
          drg: step.code,
          trace: {
            scheme: scheme.name,
            ...(transcoded ? { transcoded } : {}),
            mdcsEntered: entered,
            mdcRule: m.rule,
            adrg: step.code,
            adrgRule: step.rule,
            drgRule: 'no DRG matched: bare ADRG code',
          },
        };
      }
    }
  }
  // FAIL still carries the CC/MCC analysis: a coder fixing the principal diagnosis wants it.
  const codes = results.fixed[results.failStatus] ?? { mdc: '', adrg: '', drg: '' };
  return {
    status: results.failStatus,
    ...codes,
    trace: makeTrace(scheme, transcoded, entered, 'no MDC took the case', undefined, undefined, undefined, undefined, dx, withSeverity),
  };
}

/**
 * Group many cases with one scheme (same result as mapping {@link group}).
 *
 * @example
 * const results = groupBatch(cases, loadScheme('chs-drg-1.1'));
 */
export function groupBatch(cases: Iterable<DrgCase>, scheme: Scheme, options?: GroupOptions): GroupResult[] {
  const out: GroupResult[] = [];
  for (const c of cases) out.push(group(c, scheme, options));
  return out;
}
