/**
 * Audit engine benchmark: batch audit of ≥ 10M settlement lines with the full rule library (the
 * shipped NHSA knowledge + MedFund rules), fed as column slices per encounter exactly as the store
 * reader does; plus in-process pre-order check latency p50/p99. Lines are generated in memory
 * (deterministic PRNG) so the figure is the engine's, not the database's.
 *
 *   npm run bench:audit                 # 10M lines, single thread then one worker per core
 *   AUDIT_BENCH_LINES=2000000 npm run bench:audit
 *   AUDIT_BENCH_WORKERS=0 npm run bench:audit               # single thread only
 *   AUDIT_BENCH_LINES=300000 AUDIT_BENCH_VERIFY=1 npm run bench:audit   # parallel = single-threaded?
 *   AUDIT_BENCH_WORKERS=2 AUDIT_BENCH_THREADS=1 npm run bench:audit     # + CPU seconds per thread (Linux)
 *
 * The parallel runs take the lines as the reader hands them to the workers: shared blocks
 * (line-block.ts; AUDIT_BENCH_BLOCK lines each, default 65,536). Building the blocks from the
 * generated columns (strings to pool ids, encounters packed) is the reader's side of the hand-off: it
 * is timed apart and printed, not counted; the store reader does it while reading.
 */
import os from 'node:os';
import { CHARGE_CATEGORIES } from '../src/domain/index.js';
import type { CatalogItem, Encounter } from '../src/domain/index.js';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { allocColumns, checkOrder, compileRules, createBatchAudit, loadRuleLibrary } from '../src/audit/index.js';
import type { LineColumns, Violation } from '../src/audit/index.js';
import { createParallelBatchAudit } from '../src/audit/parallel-batch.js';
import { appendColumns } from '../src/audit/line-block.js';
import type { LineBlock } from '../src/audit/line-block.js';

const TOTAL = Number(process.env.AUDIT_BENCH_LINES ?? 10_000_000);
const CHUNK = 1_000_000;

let s = 0x9e3779b9;
const rnd = (): number => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return (s >>> 0) / 4294967296;
};
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;

const fullLibrary = loadRuleLibrary();
const kindFilter = process.env.AUDIT_BENCH_KINDS ? new RegExp(process.env.AUDIT_BENCH_KINDS) : undefined;
const library = kindFilter ? { ...fullLibrary, rules: { ...fullLibrary.rules, rules: fullLibrary.rules.rules.filter((r) => kindFilter.test(r.kind)) } } : fullLibrary;
// A catalog mixing real national codes from the knowledge points (so the national rules are
// exercised) with ordinary items; a few carry catalog restrictions and price caps.
const national = Object.values(library.nhsa).flatMap((f) => f.rows.slice(0, 40).map((r) => ({ code: r.codes[0]!, name: r.itemName, kind: f.itemKind })));
const catalog: CatalogItem[] = [];
const mk = (code: string, name: string, category: CatalogItem['category'], extra: Partial<CatalogItem> = {}): void => {
  catalog.push({ code, name, category, payClass: 'A', unit: '次', priceCapFen: 0, selfPayFirstPermille: 0, restrictions: {}, effectiveFrom: '2020-01-01', effectiveTo: '9999-12-31', ...extra });
};
for (const n of national) if (!catalog.some((c) => c.code === n.code)) mk(n.code, n.name, n.kind === 'service' ? 'service' : 'drug');
// a plausible mix: mostly classes no age/diagnosis rule targets, some antibacterials and statins
const atc = ['A02BC', 'A11CA', 'R05CB', 'C08CA', 'A10BA', 'N02BE', 'C07AB', 'A06AD', 'J01CA', 'C10AA', 'R06AX', 'A03FA',
  'A01AB', 'A03AX', 'A05AA', 'A07EC', 'A09AA', 'A12AX', 'B03AA', 'B05BB', 'C01DA', 'C03CA', 'C08DB', 'D07AC', 'G04CA', 'H02AB',
  'J01DC', 'L04AD', 'M01AX', 'M04AA', 'N02BA', 'N03AX', 'N06AX', 'N07CA', 'R03AC', 'R03BA', 'R05DB', 'S01AA', 'V03AB', 'A10BH'];
for (let i = 0; i < 1500; i++) mk(`X${pick(atc)}B${String(i).padStart(3, '0')}A001010100000`.slice(0, 23), `西药${i}`, 'drug', i % 10 === 0 ? { restrictions: { maxQuantityPerDay: 6 } } : {});
for (let i = 0; i < 800; i++) mk(`00${String(2100 + (i % 1300)).padStart(4, '0')}${String(i).padStart(9, '0')}`.slice(0, 15), `诊疗项目${i}${i % 7 === 0 ? 'CT' : ''}`, 'service', i % 5 === 0 ? { priceCapFen: 5000 } : {});
for (let i = 0; i < 300; i++) mk(`C${String(i).padStart(8, '0')}`, `耗材${i}`, 'consumable', i % 9 === 0 ? { restrictions: { sex: '2' } } : {});
mk('F0001', '床位费', 'facility', { unit: '日' });
mk('F0002', '护理费', 'facility', { unit: '日' });
const plan = compileRules(library, { asOf: '2026-11-23', region: { catalog, codeMappings: [] } });
const codes = catalog.map((c) => c.code);
const nNational = new Set(national.map((n) => n.code)).size; // the first catalog entries; billed on 3% of lines
const itemIdx = codes.map((c) => plan.codeIndex.get(c)!);
const cats = catalog.map((c) => CHARGE_CATEGORIES.indexOf(c.category));
const dx = ['J06.900', 'J18.900', 'I10.x00', 'E11.900', 'K29.700', 'I63.900', 'M54.500', 'N39.000', 'C34.900', 'J20.900'];
const institutions = ['H1', 'H2', 'H3', 'H4'];
const doctors = Array.from({ length: 400 }, (_, i) => `DR${i}`);
const lineIds = Array.from({ length: CHUNK }, (_, i) => `L${i}`);

interface Chunk {
  cols: LineColumns;
  encs: { e: Encounter; from: number; to: number }[];
}
let encSeq = 0;
const day0 = 20_089; // 2025-01-01
function makeChunk(n: number): Chunk {
  const cols = allocColumns(n);
  const encs: Chunk['encs'] = [];
  while (cols.length < n) {
    const inpatient = rnd() < 0.2;
    const nLines = Math.min(n - cols.length, inpatient ? 20 + Math.floor(rnd() * 80) : 2 + Math.floor(rnd() * 12));
    const day = day0 + Math.floor(rnd() * 365);
    const los = inpatient ? 1 + Math.floor(rnd() * 10) : 0;
    const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
    const out = new Date((day + los) * 86_400_000).toISOString().slice(0, 10);
    const inst = pick(institutions);
    const doc = pick(doctors);
    const e: Encounter = {
      id: `E${encSeq++}`, institutionId: inst, departmentId: `${inst}-D1`, personId: `P${Math.floor(rnd() * 300_000)}`, doctorId: doc,
      kind: inpatient ? 'inpatient' : 'outpatient', benefitType: 'general', scheme: rnd() < 0.5 ? 'employee' : 'resident', sex: rnd() < 0.5 ? '1' : '2',
      ageYears: Math.floor(rnd() * 90), ageDays: 0, birthWeightGrams: 0, admitDate: iso, dischargeDate: out, dischargeType: '1', losDays: los,
      diagnoses: [pick(dx), ...(rnd() < 0.5 ? [pick(dx)] : [])], procedures: [],
    };
    const from = cols.length;
    for (let k = 0; k < nLines; k++) {
      const i = cols.length++;
      const c = rnd() < 0.03 ? Math.floor(rnd() * nNational) : nNational + Math.floor(rnd() * (codes.length - nNational));
      const d = day + (los > 0 ? Math.floor(rnd() * (los + 1)) : 0);
      const minute = 8 * 60 + Math.floor(rnd() * 600);
      cols.id[i] = lineIds[i]!;
      cols.encounterId[i] = e.id;
      cols.institutionId[i] = inst;
      cols.itemCode[i] = codes[c]!;
      cols.localCode[i] = '';
      cols.mappedCode[i] = '';
      cols.itemName[i] = '';
      cols.item[i] = itemIdx[c]!;
      cols.category[i] = cats[c]!;
      cols.quantity[i] = 1 + Math.floor(rnd() * 3);
      cols.unitPriceFen[i] = 100 + Math.floor(rnd() * 5000);
      cols.amountFen[i] = cols.quantity[i]! * cols.unitPriceFen[i]!;
      cols.doctorId[i] = doc;
      cols.departmentId[i] = e.departmentId;
      cols.chargedAt[i] = '';
      cols.tMin[i] = d * 1440 + minute;
    }
    encs.push({ e, from, to: cols.length });
  }
  return { cols, encs };
}

// ── batch ──
// AUDIT_BENCH_WORKERS: comma-separated runs (default `0,<cores>`); 0 = the single-threaded batch, N ≥ 1
// splits encounters by person across N worker threads (the calling thread submits shared blocks,
// turns the workers' answers into violations and runs the cross-patient rules from their facts). AUDIT_BENCH_VERIFY=1 also runs the other mode on the same lines and exits
// 1 unless the violations are identical (and prints their digest).
// `N+main`: N workers and the calling thread auditing one more shard itself (callerShard)
const RUNS = (process.env.AUDIT_BENCH_WORKERS ?? `0,${os.cpus().length}`).split(',').map((x) => ({ workers: parseInt(x, 10), callerShard: x.endsWith('+main') }));
const VERIFY = process.env.AUDIT_BENCH_VERIFY === '1';
const seedAfterCatalog = s;

interface Run {
  ms: number;
  cpuUs: number;
  lines: number;
  encounters: number;
  violations: Violation[] | number;
}

// AUDIT_BENCH_THREADS=1 (Linux): also print the CPU seconds of each thread (/proc/self/task), to
// see where a parallel run spends its CPU (calling thread, workers, GC and compiler helper threads)
const THREADS = process.env.AUDIT_BENCH_THREADS === '1' && existsSync('/proc/self/task');
let threadLine = '';
function threadCpu(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      m.set(t, (Number(f[11]) + Number(f[12])) / 100); // utime + stime, in clock ticks of 10 ms
    } catch {
      // the thread ended meanwhile
    }
  }
  return m;
}
let startMs = 0;
let buildMs = 0;
const BLOCK_LINES = Number(process.env.AUDIT_BENCH_BLOCK ?? 65_536);
async function runBatch(workers: number, keep: boolean, callerShard = false): Promise<Run> {
  s = seedAfterCatalog; // same lines for every run
  encSeq = 0;
  const before = THREADS ? new Set(threadCpu().keys()) : new Set<string>();
  const single = workers === 0 ? createBatchAudit(plan) : undefined;
  const ts = performance.now();
  const par = workers > 0 ? await createParallelBatchAudit(plan, { workers, callerShard }) : undefined;
  startMs = performance.now() - ts;
  buildMs = 0;
  const kept: Violation[] = [];
  const cpu0 = THREADS ? threadCpu() : new Map<string, number>();
  let n = 0;
  let ms = 0;
  let cpuUs = 0; // user + system CPU of the whole process (all threads) while auditing
  let done = 0;
  const timed = async (fn: () => void | Promise<void>): Promise<void> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    ms += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpuUs += c.user + c.system;
  };
  while (done < TOTAL) {
    const chunk = makeChunk(Math.min(CHUNK, TOTAL - done));
    // the chunk is generated outside the timed region; the workers finish it inside (drain)
    const ctxOf = (e: Encounter) => ({ encounter: e, institutionLevel: (e.institutionId === 'H1' ? '1' : '3') as '1' | '3' });
    if (single)
      await timed(() => {
        for (const { e, from, to } of chunk.encs) {
          const vs = single.add(ctxOf(e), chunk.cols, from, to);
          n += count(vs);
          if (keep) for (const v of vs) kept.push(v);
        }
      });
    else {
      // the reader's side of the hand-off (strings to pool ids, encounters to packed records) is
      // not engine time: it is timed apart and printed; the store reader does it while reading
      const b0 = performance.now();
      const blocks: LineBlock[] = [];
      let b = par!.newBlock(BLOCK_LINES);
      for (const { e, from, to } of chunk.encs) {
        if (b.length + (to - from) > b.capacity && b.length > 0) {
          blocks.push(b);
          b = par!.newBlock(BLOCK_LINES);
        }
        const at = b.length;
        appendColumns(b, par!.strings, chunk.cols, from, to);
        par!.addEncounter(b, ctxOf(e), at, b.length);
      }
      blocks.push(b);
      buildMs += performance.now() - b0;
      await timed(async () => {
        for (const x of blocks) par!.submit(x);
        await par!.drain();
      });
    }
    done += chunk.cols.length;
  }
  if (THREADS) {
    // CPU of this run per thread, taken before finish() (which stops the workers)
    const now = threadCpu();
    const d = (tid: string): number => now.get(tid)! - (cpu0.get(tid) ?? 0);
    const helpers = [...now.keys()].filter((t) => t !== String(process.pid) && before.has(t)).reduce((x, t) => x + d(t), 0);
    const fresh = [...now.keys()].filter((t) => !before.has(t) && d(t) > 0.05).map((t) => d(t).toFixed(2));
    threadLine = `  threads (CPU s of the run before finish; workers include their start-up): calling thread ${d(String(process.pid)).toFixed(2)} (incl. untimed generation) · V8/libuv helper threads (GC, compiler) ${helpers.toFixed(2)}${fresh.length ? ` · threads started by the run ${fresh.join(', ')}` : ''}\n`;
  }
  let fin: Violation[] = [];
  await timed(async () => {
    fin = single ? single.finish() : await par!.finish();
  });
  n += count(fin);
  if (keep) for (const v of fin) kept.push(v);
  const b = single ?? par!;
  return { ms, cpuUs, lines: done, encounters: b.encounters, violations: keep ? kept : par ? fin.length : n };
}

let run: Run | undefined;
for (const { workers, callerShard } of RUNS) {
  const load0 = os.loadavg()[0]!;
  const r = await runBatch(workers, VERIFY && run === undefined, callerShard);
  run ??= r;
  const nViolations = Array.isArray(r.violations) ? r.violations.length : r.violations;
  const lps = (r.lines / r.ms) * 1000;
  process.stdout.write(
    `batch audit: ${r.lines.toLocaleString('en-US')} lines, ${r.encounters.toLocaleString('en-US')} encounters, ${plan.rules.length} rules, ${plan.knowledgePoints} knowledge points, ${nViolations.toLocaleString('en-US')} violations\n` +
      `  ${workers === 0 ? 'single thread' : `${workers} worker thread${workers > 1 ? 's' : ''} + main${callerShard ? ' (auditing a shard too)' : ''}`} · wall ${(r.ms / 1000).toFixed(2)} s → ${Math.round(lps).toLocaleString('en-US')} lines/s · ` +
      `CPU ${(r.cpuUs / 1e6).toFixed(2)} s (all threads, GC helpers included) → ${Math.round(r.lines / (r.cpuUs / 1e6)).toLocaleString('en-US')} lines per CPU-second · ` +
      (workers > 0 ? `worker start-up ${(startMs / 1000).toFixed(2)} s, building shared blocks ${(buildMs / 1000).toFixed(2)} s (not counted) · ` : '') +
      `load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (uptime: ${execSync('uptime').toString().trim()})\n` +
      threadLine,
  );
}
if (VERIFY) {
  const other = await runBatch(RUNS[0]!.workers === 0 ? 2 : 0, true);
  const key = (v: Violation): string => `${v.ruleId}|${v.encounterId}`;
  const canon = (vs: Violation[]): string[] => vs.map((v) => `${key(v)}|${JSON.stringify(v)}`).sort();
  const a = canon(run!.violations as Violation[]);
  const b = canon(other.violations as Violation[]);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  const { createHash } = await import('node:crypto');
  const digest = createHash('sha256').update(a.map((x) => x.slice(x.indexOf('|{') + 1)).sort().join('\n')).digest('hex').slice(0, 16);
  process.stdout.write(`violations digest ${digest}\n`);
  process.stdout.write(`verify: single-threaded and parallel runs ${same ? 'give identical violations' : 'DIFFER'} (${a.length.toLocaleString('en-US')} vs ${b.length.toLocaleString('en-US')})\n`);
  if (!same) process.exitCode = 1;
}

// ── pre-order check, in-process ──
const drugCodes = catalog.filter((c) => c.category === 'drug').map((c) => c.code);
const lat: number[] = [];
for (let k = 0; k < 20_000; k++) {
  const req = {
    patient: { sex: (rnd() < 0.5 ? '1' : '2') as '1' | '2', ageYears: Math.floor(rnd() * 90) },
    encounter: { kind: 'outpatient' as const, institutionId: 'H2', institutionLevel: '2' as const, doctorId: pick(doctors), admitDate: '2026-03-02', diagnoses: [pick(dx)] },
    order: { itemCode: pick(drugCodes), quantity: 2, at: '2026-03-02T10:00:00' },
    earlier: [{ itemCode: pick(codes), quantity: 1, at: '2026-03-02T09:00:00' }, { itemCode: pick(drugCodes), quantity: 1, at: '2026-03-02T09:10:00' }],
  };
  const t = performance.now();
  checkOrder(plan, req);
  lat.push(performance.now() - t);
}
lat.sort((a, b) => a - b);
const q = (p: number): string => lat[Math.floor(p * (lat.length - 1))]!.toFixed(3);
process.stdout.write(`pre-order check (in-process, 20,000 requests with 2 earlier orders): p50 ${q(0.5)} ms · p99 ${q(0.99)} ms · max ${lat[lat.length - 1]!.toFixed(3)} ms\n`);
const byRule = new Map<string, number>();
function count(vs: { ruleId: string }[]): number {
  if (process.env.AUDIT_BENCH_DEBUG) for (const v of vs) byRule.set(v.ruleId, (byRule.get(v.ruleId) ?? 0) + 1);
  return vs.length;
}
