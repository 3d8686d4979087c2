/**
 * `npm run bench:cost`: a full year for 3 hospitals and 50k inpatient cases — step-down allocation
 * (annual + 12 monthly runs per hospital), reciprocal allocation, top-down / ccr / bottom-up case
 * costing and item costing — on seeded synthetic inputs. Prints the measured seconds (target < 10 s).
 */
import { COST_CENTER_CATEGORIES } from '../src/domain/index.js';
import type { CostCenterCategory } from '../src/domain/index.js';
import {
  ITEM_COUNT,
  allocate,
  costCases,
  costItems,
  type CaseActivity,
  type CaseRecord,
  type CostCenter,
  type DriverChoice,
  type DriverKind,
  type ItemUse,
} from '../src/costing/index.js';

let seed = 20251123;
const rnd = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const int = (n: number): number => Math.floor(rnd() * n);

const HOSPITALS = 3;
const INPATIENTS = 50_000;
const OUTPATIENTS_PER_INPATIENT = 4;
const LAYOUT: Record<CostCenterCategory, number> = { administrative: 8, 'medical-support': 6, 'medical-technical': 10, clinical: 30 };

interface World {
  centers: CostCenter[];
  monthly: Map<string, number[]>[];
  drivers: Partial<Record<DriverKind, Map<string, number>>>;
  plan: Map<string, DriverChoice>;
  cases: CaseRecord[];
  activities: CaseActivity[];
  uses: ItemUse[];
  staff: Map<string, number>;
}

function build(h: number, inpatients: number): World {
  const centers: CostCenter[] = [];
  for (const cat of COST_CENTER_CATEGORIES) {
    for (let i = 0; i < LAYOUT[cat]; i++) centers.push({ id: `H${h}-${cat}-${i}`, institutionId: `H${h}`, name: `${cat}${i}`, category: cat, parentId: '' });
  }
  const monthly = Array.from({ length: 12 }, () => new Map(centers.map((c) => [c.id, Array.from({ length: ITEM_COUNT }, () => int(3_000_000_00))])));
  const drivers: Partial<Record<DriverKind, Map<string, number>>> = {};
  for (const k of ['staff', 'floor-area', 'workload', 'ordered-revenue', 'revenue', 'bed-days', 'visits'] as const) {
    drivers[k] = new Map(centers.map((c) => [c.id, 1 + int(500)]));
  }
  const plan = new Map<string, DriverChoice>(
    centers
      .filter((c) => c.category !== 'clinical')
      .map((c) => [c.id, Array.from({ length: ITEM_COUNT }, (_, i): DriverKind[] => (c.category === 'administrative' ? (i === 3 ? ['floor-area'] : ['staff']) : c.category === 'medical-support' ? ['workload', 'staff'] : ['ordered-revenue']))]),
  );
  const clinical = centers.filter((c) => c.category === 'clinical');
  const tech = centers.filter((c) => c.category === 'medical-technical');
  const cases: CaseRecord[] = [];
  const activities: CaseActivity[] = [];
  const useMap = new Map<string, ItemUse & { quantity: number; revenueFen: number; minutes: number }>();
  const total = inpatients * (1 + OUTPATIENTS_PER_INPATIENT);
  for (let i = 0; i < total; i++) {
    const inpatient = i % (1 + OUTPATIENTS_PER_INPATIENT) === 0;
    const dept = clinical[int(clinical.length)]!;
    const los = inpatient ? 1 + int(15) : 0;
    cases.push({ id: `c${i}`, departmentId: dept.id, doctorId: `d${int(400)}`, kind: inpatient ? 'inpatient' : 'outpatient', losDays: los, drugFen: int(800_000), materialFen: int(500_000), serviceFen: int(900_000), examFen: int(200_000) });
    const n = inpatient ? 12 : 3;
    for (let k = 0; k < n; k++) {
      const exec = k < n / 2 ? tech[int(tech.length)]! : dept;
      const minutes = 5 + int(60);
      const revenueFen = 1000 + int(50_000);
      activities.push({ caseIndex: i, centerId: exec.id, minutes, revenueFen });
      const code = `00${25 + int(9)}0${int(400)}`;
      const key = `${exec.id}|${code}`;
      const u = useMap.get(key);
      if (u) {
        u.quantity += 1;
        u.revenueFen += revenueFen;
        u.minutes += minutes;
      } else useMap.set(key, { centerId: exec.id, itemCode: code, itemName: code, quantity: 1, revenueFen, minutes, basis: 'time-standard' });
    }
  }
  return { centers, monthly, drivers, plan, cases, activities, uses: [...useMap.values()], staff: drivers.staff! };
}

const perHospital = Math.ceil(INPATIENTS / HOSPITALS);
const t0 = performance.now();
const worlds = Array.from({ length: HOSPITALS }, (_, h) => build(h, perHospital));
const tBuild = performance.now();
let alloc = 0, monthlyRuns = 0, recip = 0, caseRuns = 0, items = 0, lastCheck = true;
let inpatients = 0, allCases = 0;
const byMethod = { 'top-down': 0, ccr: 0, 'bottom-up': 0 };
const tStart = performance.now();
for (const w of worlds) {
  const a0 = performance.now();
  const year = new Map<string, number[]>();
  for (const m of w.monthly) for (const [id, v] of m) year.set(id, (year.get(id) ?? new Array<number>(ITEM_COUNT).fill(0)).map((x, i) => x + v[i]!));
  const annual = allocate({ centers: w.centers, direct: year, drivers: w.drivers, plan: w.plan }, 'step-down');
  for (const m of w.monthly) {
    allocate({ centers: w.centers, direct: m, drivers: w.drivers, plan: w.plan }, 'step-down');
    monthlyRuns++;
  }
  const a1 = performance.now();
  allocate({ centers: w.centers, direct: year, drivers: w.drivers, plan: w.plan }, 'reciprocal');
  const a2 = performance.now();
  for (const method of ['top-down', 'ccr', 'bottom-up'] as const) {
    const m0 = performance.now();
    const r = costCases(annual, w.cases, method, w.activities);
    byMethod[method] += performance.now() - m0;
    lastCheck &&= r.caseCostFen + r.unassignedFen === annual.finalFen && annual.finalFen === annual.importedFen;
  }
  const a3 = performance.now();
  costItems(annual, w.uses, w.staff, 96_000);
  const a4 = performance.now();
  alloc += a1 - a0;
  recip += a2 - a1;
  caseRuns += a3 - a2;
  items += a4 - a3;
  inpatients += w.cases.filter((c) => c.kind === 'inpatient').length;
  allCases += w.cases.length;
}
const total = (performance.now() - tStart) / 1000;
const s = (ms: number): string => (ms / 1000).toFixed(2);
console.log(`cost bench: ${HOSPITALS} hospitals × ${worlds[0]!.centers.length} cost centers, ${inpatients} inpatient + ${allCases - inpatients} outpatient cases, ${worlds.reduce((n, w) => n + w.activities.length, 0)} case activities`);
console.log(`  input generation (not timed)            ${s(tBuild - t0)} s`);
console.log(`  step-down allocation (annual + ${monthlyRuns} monthly) ${s(alloc)} s`);
console.log(`  reciprocal allocation (annual)          ${s(recip)} s`);
console.log(`  case costing top-down ${s(byMethod['top-down'])} s · ccr ${s(byMethod.ccr)} s · bottom-up ${s(byMethod['bottom-up'])} s (${Math.round((allCases * 3) / (caseRuns / 1000)).toLocaleString('en-US')} case-costings/s)`);
console.log(`  item costing (ABC/TDABC)                ${s(items)} s`);
console.log(`  ALLOCATION + CASE COSTING (default top-down) ${s(alloc + byMethod['top-down'])} s (target < 10 s)`);
console.log(`  everything above (3 case methods, reciprocal, items) ${total.toFixed(2)} s — reconciles to the fen: ${lastCheck ? 'yes' : 'NO'}`);
if (!lastCheck) process.exitCode = 1;
