/**
 * Settlement throughput: settles ≥ 1,000,000 synthetic encounters (seeded, ~8 fee lines each, 60%
 * outpatient) under the shipped Jiangmen 2023 (employee) and Changzhou 2022 (resident) policy sets,
 * carrying year-to-date accumulators per person, and prints encounters/s. Data are generated in
 * chunks outside the timed section (with a full GC before each timed chunk). `npm run bench:settle` (BENCH_SETTLE_N to change the count).
 */
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CatalogEntry, LineInput, SettleInput, YearToDate } from '../src/settlement/index.js';
import { settle } from '../src/settlement/index.js';
import { resolvePolicy } from '../src/settlement/load.js';

const N = Number(process.env.BENCH_SETTLE_N ?? 1_000_000);
const CHUNK = 50_000;
const PERSONS = 200_000;

let seed = 20231;
function rnd(): number {
  // mulberry32: deterministic, no Math.random
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const catalog = new Map<string, CatalogEntry>();
const codes: string[] = [];
for (let i = 0; i < 3000; i++) {
  const code = `X${String(i).padStart(6, '0')}`;
  const r = rnd();
  const payClass = r < 0.55 ? 'A' : r < 0.9 ? 'B' : 'C';
  catalog.set(code, {
    payClass,
    priceCapFen: rnd() < 0.2 ? 1000 + Math.floor(rnd() * 20000) : 0,
    selfPayFirstPermille: payClass === 'B' ? pick([50, 100, 200, 300]) : 0,
    restrictions: rnd() < 0.05 ? { minAgeYears: 60 } : rnd() < 0.05 ? { indicationPrefixes: ['I10', 'E11'] } : {},
  });
  codes.push(code);
}
const lookup = (c: string) => catalog.get(c);
const employee = resolvePolicy('440700');
const resident = resolvePolicy('320400');

function makeCase(i: number): { person: number; input: SettleInput } {
  const inpatient = rnd() < 0.4;
  const nLines = inpatient ? 8 + Math.floor(rnd() * 10) : 2 + Math.floor(rnd() * 6);
  const lines: LineInput[] = [];
  for (let k = 0; k < nLines; k++) {
    const code = pick(codes);
    const quantity = 1 + Math.floor(rnd() * 4);
    const unitPriceFen = 100 + Math.floor(rnd() * (inpatient ? 200_000 : 20_000));
    lines.push({ id: `${i}-${k}`, itemCode: code, category: 'drug', payClass: catalog.get(code)!.payClass, quantity, unitPriceFen, amountFen: quantity * unitPriceFen });
  }
  const emp = rnd() < 0.5;
  const month = 1 + Math.floor((i / N) * 12);
  return {
    person: Math.floor(rnd() * PERSONS),
    input: {
      encounter: {
        id: `E${i}`, kind: inpatient ? 'inpatient' : 'outpatient', benefitType: 'general', scheme: emp ? 'employee' : 'resident',
        sex: rnd() < 0.5 ? '1' : '2', ageYears: Math.floor(rnd() * 90), dischargeDate: `2023-${String(Math.min(month, 12)).padStart(2, '0')}-15`, diagnoses: [pick(['I10.x00', 'E11.900', 'J18.900', 'K35.800'])],
      },
      lines,
      institutionLevel: pick(['1', '2', '3'] as const),
      personType: emp ? pick(['in-service', 'retired'] as const) : pick(['child', 'student', 'adult', 'elderly'] as const),
      useAccount: emp,
    },
  };
}

// Collect the generator's garbage before each timed chunk so the figure measures settle(), not the
// generator (a full GC between chunks, outside the timed section).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ytd = new Array<YearToDate | undefined>(PERSONS);
let settled = 0, lines = 0, fund = 0, ns = 0n, cpuUs = 0;
for (let start = 0; start < N; start += CHUNK) {
  const batch = Array.from({ length: Math.min(CHUNK, N - start) }, (_, j) => makeCase(start + j));
  gc();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (const { person, input } of batch) {
    const r = settle(input, input.encounter.scheme === 'employee' ? employee : resident, ytd[person], lookup);
    ytd[person] = r.ytd;
    fund += r.fundTotalFen;
    lines += r.lines.length;
  }
  ns += process.hrtime.bigint() - t0;
  const c1 = process.cpuUsage(c0);
  cpuUs += c1.user + c1.system;
  settled += batch.length;
}
const secs = Number(ns) / 1e9;
console.log(`settle: ${settled.toLocaleString('en')} encounters (${lines.toLocaleString('en')} lines) in ${secs.toFixed(2)} s settle time`);
console.log(`settle: ${Math.round(settled / secs).toLocaleString('en')} encounters/s · ${Math.round(lines / secs).toLocaleString('en')} lines/s (wall clock, 1 thread; fund total ${(fund / 100).toFixed(2)} 元)`);
// On a shared machine the wall clock includes time spent waiting for a core; CPU time of this
// process (all its threads, GC included) gives the load-independent figure.
const cpuSecs = cpuUs / 1e6;
console.log(`settle: ${Math.round(settled / cpuSecs).toLocaleString('en')} encounters per CPU-second (${cpuSecs.toFixed(2)} s CPU; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);

