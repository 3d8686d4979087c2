/**
 * Loads scheme folders from data/schemes/<name>/ (the only file in src/drg that does I/O).
 * A folder is a scheme when it holds profile.json and scheme.json; a city's local variant is just
 * another folder. Loaded schemes are cached per (directory, name, mode).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MedfundError, issue } from '../domain/index.js';
import { compileScheme } from './compile.js';
import type { DrgPaymentParams } from './payment.js';
import type { RawScheme, Scheme, SchemeProfile, SchemeTables } from './types.js';

/** Default location: <repo>/data/schemes, or MEDFUND_SCHEMES_DIR. */
export function schemesDir(): string {
  return process.env['MEDFUND_SCHEMES_DIR'] ?? fileURLToPath(new URL('../../data/schemes/', import.meta.url));
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new MedfundError([issue('scheme-file-unreadable', path, `cannot read scheme file: ${(err as Error).message}`)], { cause: err });
  }
}

export interface SchemeInfo {
  readonly name: string;
  readonly title: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly dir: string;
}

/**
 * Schemes available under the schemes directory, ordered by effectiveFrom.
 *
 * @example
 * listSchemes().map((s) => s.name); // ['chs-drg-1.1', 'chs-drg-2.0']
 */
export function listSchemes(dir: string = schemesDir()): SchemeInfo[] {
  if (!existsSync(dir)) return [];
  const out: SchemeInfo[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(dir, entry.name);
    if (!existsSync(join(folder, 'profile.json')) || !existsSync(join(folder, 'scheme.json'))) continue;
    const p = readJson<SchemeProfile>(join(folder, 'profile.json'));
    const version = /(\d+(?:\.\d+)*)$/.exec(p.name)?.[1] ?? '';
    out.push({ name: p.name, title: p.title, version, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, dir: folder });
  }
  return out.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.name.localeCompare(b.name));
}

/** One period of a region's scheme schedule (ISO dates, inclusive). */
export interface SchemePeriod {
  readonly scheme: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The scheme for a discharge date: the region's configured schedule when given, else the shipped
 * profiles' effective dates (2.0 for discharges from 2025-01-01). When periods overlap the one
 * that started last wins.
 *
 * @example
 * chooseScheme('2024-12-31'); // 'chs-drg-1.1'
 * chooseScheme('2025-01-01'); // 'chs-drg-2.0'
 */
export function chooseScheme(dischargeDate: string, schedule?: readonly SchemePeriod[]): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dischargeDate)) {
    throw new MedfundError([issue('invalid-date', 'dischargeDate', `expected an ISO date YYYY-MM-DD, got ${JSON.stringify(dischargeDate)}`)]);
  }
  const periods = schedule ?? listSchemes().map((s) => ({ scheme: s.name, from: s.effectiveFrom, to: s.effectiveTo }));
  let best: SchemePeriod | undefined;
  for (const p of periods) {
    if (p.from <= dischargeDate && dischargeDate <= p.to && (!best || p.from > best.from)) best = p;
  }
  if (!best) {
    throw new MedfundError([issue('no-scheme', 'dischargeDate', `no DRG scheme is in force on ${dischargeDate}`)]);
  }
  return best.scheme;
}

export interface LoadOptions {
  /** schemes directory (default {@link schemesDir}) */
  readonly dir?: string;
  /** 1.1 transcoding mode (FORMAT.md § 4.1): map input codes before grouping; needs the maps */
  readonly transcoding?: boolean;
  /** load display names of diagnoses and procedures (default true) */
  readonly names?: boolean;
}

/** Read a scheme folder into plain tables (no compilation). */
export function readSchemeTables(name: string, options: LoadOptions = {}): SchemeTables {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new MedfundError([issue('unknown-scheme', 'scheme', `invalid scheme name ${JSON.stringify(name)}`)]);
  }
  const dir = resolve(options.dir ?? schemesDir());
  const folder = join(dir, name);
  if (!existsSync(join(folder, 'profile.json'))) {
    const known = listSchemes(dir).map((s) => s.name);
    throw new MedfundError([
      issue('unknown-scheme', 'scheme', `未知的分组方案 / unknown DRG scheme "${name}" (available: ${known.join(', ') || 'none'})`),
    ]);
  }
  const f = (file: string) => join(folder, file);
  const profile = readJson<SchemeProfile>(f('profile.json'));
  const names = options.names !== false;
  let diagnosisMap: Record<string, string> | undefined;
  let procedureMap: Record<string, string> | undefined;
  if (options.transcoding) {
    if (!profile.transcoding) {
      throw new MedfundError([issue('no-transcoding', 'scheme', `scheme ${name} has no transcoding maps`)]);
    }
    diagnosisMap = readJson(f(profile.transcoding.diagnosisMap));
    procedureMap = readJson(f(profile.transcoding.procedureMap));
  }
  return {
    profile,
    scheme: readJson<RawScheme>(f('scheme.json')),
    cc: readJson(f('cc.json')),
    mcc: readJson(f('mcc.json')),
    ccExclusion: readJson(f('cc-exclusion.json')),
    validProcedures: readJson(f('valid-procedures.json')),
    drgNames: readJson(f('drg-names.json')),
    ...(names && existsSync(f('diagnoses.json')) ? { diagnosisNames: readJson<Record<string, string>>(f('diagnoses.json')) } : {}),
    ...(names && existsSync(f('procedures.json')) ? { procedureNames: readJson<Record<string, string>>(f('procedures.json')) } : {}),
    ...(diagnosisMap ? { diagnosisMap } : {}),
    ...(procedureMap ? { procedureMap } : {}),
  };
}

const cache = new Map<string, Scheme>();

/**
 * Load and compile a scheme by name (a folder under data/schemes/), cached.
 *
 * @example
 * const scheme = loadScheme('chs-drg-2.0');
 * group(drgCase, scheme);
 */
export function loadScheme(name: string, options: LoadOptions = {}): Scheme {
  const key = `${options.dir ?? ''}|${name}|${options.transcoding ? 't' : ''}|${options.names === false ? 'n' : ''}`;
  let s = cache.get(key);
  if (!s) {
    s = compileScheme(readSchemeTables(name, options));
    cache.set(key, s);
  }
  return s;
}

// ── payment parameters (data/payment/drg/<id>.json) ──

const fraction = z.number().min(0).max(1);
const PaymentParamsSchema = z.object({
  id: z.string().min(1),
  region: z.string().min(1),
  scheme: z.string().min(1),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  effectiveTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().min(1),
  rate: z.discriminatedUnion('method', [
    z.object({ method: z.literal('budget'), budgetFen: z.number().int().positive(), reimbursementRatio: z.number().gt(0).max(1), volumeGrowth: z.number() }),
    z.object({ method: z.literal('trend'), costGrowth: z.number(), volumeGrowth: z.number() }),
  ]),
  weights: z.object({
    trim: z.discriminatedUnion('method', [
      z.object({ method: z.literal('none') }),
      z.object({ method: z.literal('iqr'), k: z.number().positive() }),
      z.object({ method: z.literal('log-sd'), a: z.number().positive() }),
      z.object({ method: z.literal('percentile'), lower: fraction, upper: fraction }),
    ]),
    decimals: z.number().int().min(0).max(8),
    minCases: z.number().int().min(1),
  }),
  highMultiple: z.object({
    tiers: z.array(z.object({ maxWeight: z.number().positive().nullable(), threshold: z.number().positive() })).min(1),
    inclusive: z.boolean(),
    extraFactor: z.number().min(0),
  }),
  lowMultiple: z.object({ threshold: z.number().min(0), inclusive: z.boolean(), pay: z.enum(['ratio', 'cost']) }),
  reference: z.enum(['average-cost', 'standard-payment']),
  specialReview: z.object({ losDaysAtLeast: z.number().positive().nullable(), costMultipleAtLeast: z.number().positive().nullable(), quotaShare: fraction }),
  ambiguous: z.object({ discount: fraction }),
  unassigned: z.object({ discount: fraction }),
  settlement: z.object({ surplusRetainCap: fraction.nullable(), overspendShareLimit: z.number().min(0), overspendFundShare: fraction }),
  prediction: z.object({ watchBelow: z.number(), alertBelow: z.number() }),
});

/** Default location: <repo>/data/payment/drg, or MEDFUND_DRG_PAYMENT_DIR. */
export function paymentParamsDir(): string {
  return process.env['MEDFUND_DRG_PAYMENT_DIR'] ?? fileURLToPath(new URL('../../data/payment/drg/', import.meta.url));
}

/** Every parameter set, validated; a bad file is an error naming the field. */
export function listPaymentParams(dir: string = paymentParamsDir()): DrgPaymentParams[] {
  if (!existsSync(dir)) return [];
  const out: DrgPaymentParams[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const parsed = PaymentParamsSchema.safeParse(readJson(join(dir, f)));
    if (!parsed.success) {
      throw new MedfundError(
        parsed.error.issues.map((i) => issue('invalid-payment-params', `${f}:${i.path.join('.')}`, i.message)),
      );
    }
    out.push(parsed.data as DrgPaymentParams);
  }
  return out;
}

/**
 * The payment parameters for a scheme and date (latest effectiveFrom wins), or by id. When no set
 * of that scheme covers the date — regrouping a 2025 history under 1.1 for the version impact —
 * the scheme's latest set is used (its id is recorded with every stored result).
 *
 * @example
 * const params = loadPaymentParams({ scheme: 'chs-drg-2.0', date: '2025-06-30' });
 */
export function loadPaymentParams(which: { id: string } | { scheme: string; date: string }, dir?: string): DrgPaymentParams {
  const all = listPaymentParams(dir);
  const found =
    'id' in which
      ? all.find((p) => p.id === which.id)
      : all
          .filter((p) => p.scheme === which.scheme && p.effectiveFrom <= which.date && which.date <= p.effectiveTo)
          .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ??
        all.filter((p) => p.scheme === which.scheme).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
  if (!found) {
    throw new MedfundError([
      issue('no-payment-params', 'id' in which ? 'id' : 'scheme', `没有适用的 DRG 支付参数 / no DRG payment parameters for ${JSON.stringify(which)} (have: ${all.map((p) => p.id).join(', ')})`),
    ]);
  }
  return found;
}
