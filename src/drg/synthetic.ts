/**
 * Seeded synthetic cases drawn from a scheme's own code lists, for benchmarks and property tests
 * (not patient data). Deterministic for a given seed; no Math.random.
 */
import type { DrgCase, SchemeTables } from './types.js';

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CodePools {
  readonly adrgDiagnoses: readonly (readonly string[])[];
  readonly adrgProcedures: readonly (readonly string[])[];
  readonly secondary: readonly string[];
  readonly procedures: readonly string[];
}

/** Code pools per ADRG (principal diagnoses, procedures) and for secondary diagnoses (CC/MCC). */
export function codePools(t: SchemeTables): CodePools {
  const adrgDiagnoses: string[][] = [];
  const adrgProcedures: string[][] = [];
  const lists = t.scheme.lists;
  for (const code of Object.keys(t.scheme.adrgs)) {
    const mdc = t.scheme.adrgs[code]!.mdc;
    const d = lists[`${code}.diagnoses`] ?? lists[mdc] ?? lists[`${mdc}.anyDiagnoses`] ?? [];
    const p = lists[`${code}.procedures`] ?? [];
    if (d.length > 0) {
      adrgDiagnoses.push([...d]);
      adrgProcedures.push([...p]);
    }
  }
  const secondary = [...Object.keys(t.mcc).slice(0, 2000), ...Object.keys(t.cc).slice(0, 4000), ...Object.keys(t.ccExclusion).slice(0, 4000)];
  return { adrgDiagnoses, adrgProcedures, secondary, procedures: [...t.validProcedures] };
}

/**
 * Generate `count` cases starting at case number `offset` (so workers can generate disjoint
 * slices of the same stream: case i depends only on seed and i's chunk).
 */
export function generateCases(pools: CodePools, count: number, seed: number, offset = 0): DrgCase[] {
  const rnd = prng(seed ^ Math.imul(offset + 1, 0x9e3779b1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out: DrgCase[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(rnd() * pools.adrgDiagnoses.length);
    const diagnoses = [pick(pools.adrgDiagnoses[k]!)];
    const nSec = Math.floor(rnd() * 7);
    for (let j = 0; j < nSec; j++) diagnoses.push(pick(pools.secondary));
    const procedures: string[] = [];
    const ap = pools.adrgProcedures[k]!;
    if (ap.length > 0 && rnd() < 0.6) procedures.push(pick(ap));
    else if (rnd() < 0.3) procedures.push(pick(pools.procedures));
    if (rnd() < 0.3) procedures.push(pick(pools.procedures));
    const newborn = rnd() < 0.04;
    const age = newborn ? 0 : Math.floor(rnd() * 95) + 1;
    out[i] = {
      id: String(offset + i + 1),
      gender: rnd() < 0.5 ? '1' : '2',
      age: String(age),
      ageDays: newborn ? String(Math.floor(rnd() * 60)) : '',
      weightGrams: newborn ? String(800 + Math.floor(rnd() * 3500)) : '',
      losDays: String(1 + Math.floor(rnd() * 20)),
      dischargeType: rnd() < 0.02 ? '5' : '1',
      diagnoses,
      procedures,
    };
  }
  return out;
}
