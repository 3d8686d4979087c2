/**
 * Parallel batch audit (事后, several threads). Encounters are split by person (a hash of personId)
 * across worker threads, each running the `person` part of the batch (every per-encounter rule and
 * the patient-history rules, which never look past one person); the calling thread runs the `global`
 * part (医师高频开药 and 单次费用超同组均值, which span patients but only need each encounter's total
 * and drug lines). The violations are the same as createBatchAudit's single-threaded run — same rules,
 * encounters, lines, amounts, evidence — and the encounter-level ones come back in the order the
 * encounters were added; the cross-encounter ones follow, grouped by rule kind in the order the
 * single-threaded finish() emits them (within a kind, shard by shard).
 *
 * This file is infrastructure around the pure engine (it starts threads); batch.ts stays pure.
 */
import { Worker } from 'node:worker_threads';
import type { InstitutionLevel, Encounter } from '../domain/index.js';
import type { AuditPlan } from './compile.js';
import { allocColumns } from './columns.js';
import type { LineColumns } from './columns.js';
import { createBatchAudit } from './batch.js';
import type { AuditEncounter, RuleKind, Violation } from './types.js';

/** One encounter of a shard batch: its lines are [from, to) of the batch's columns. */
export interface ShardEncounter {
  seq: number;
  e: Encounter;
  level: InstitutionLevel;
  from: number;
  to: number;
}

export type BatchToWorker = { kind: 'lines'; batch: number; cols: LineColumns; encs: ShardEncounter[] } | { kind: 'finish' };
export type WorkerToDriver =
  | { kind: 'done'; batch: number; seqs: number[]; violations: Violation[][] }
  | { kind: 'finished'; violations: Violation[]; encounters: number; lines: number }
  | { kind: 'ready' }
  | { kind: 'error'; message: string };

export interface ParallelBatchOptions {
  /** worker threads (≥ 1) */
  workers: number;
  /** lines per message to a worker; default 32,768 */
  batchLines?: number;
}

export interface ParallelBatchAudit {
  /** Queue one encounter's lines [from, to) of `cols` (copied; `cols` may be reused afterwards). */
  add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): void;
  /** Resolves when every line added so far has been audited by the workers. */
  drain(): Promise<void>;
  /** All violations (see the file comment for the order); stops the workers. */
  finish(): Promise<Violation[]>;
  /** Stop the workers without results (after an error). */
  close(): Promise<void>;
  readonly workers: number;
  readonly encounters: number;
  readonly lines: number;
}

// order of the single-threaded finish(): which rule kinds it emits first
const CROSS_ORDER: Partial<Record<RuleKind, number>> = {
  'split-admission': 0,
  readmission: 0,
  'frequent-visits': 1,
  'doctor-high-frequency': 2,
  'peer-cost-outlier': 3,
  'cost-shifting': 4,
  'item-period-frequency': 5,
  'drug-second-line': 6,
};

/** FNV-1a of the person id: the shard of every encounter of that person. */
function shardOf(personId: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) h = Math.imul(h ^ personId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

interface Shard {
  worker: Worker;
  cols: LineColumns;
  encs: ShardEncounter[];
  outstanding: number;
}

export async function createParallelBatchAudit(plan: AuditPlan, opts: ParallelBatchOptions): Promise<ParallelBatchAudit> {
  const nWorkers = Math.max(1, Math.floor(opts.workers));
  const batchLines = opts.batchLines ?? 32_768;
  const global = createBatchAudit(plan, { part: 'global' });
  const ownBySeq: { seq: number; vs: Violation[] }[] = [];
  let failure: Error | undefined;
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  let finished: ((r: Extract<WorkerToDriver, { kind: 'finished' }>) => void)[] = [];

  const shards: Shard[] = [];
  let ready = 0;
  for (let k = 0; k < nWorkers; k++) {
    // batch-worker.mjs registers tsx and loads the TypeScript worker (no build step, as the CLI)
    const worker = new Worker(new URL('./batch-worker.mjs', import.meta.url), { workerData: { plan } });
    const shard: Shard = { worker, cols: allocColumns(batchLines), encs: [], outstanding: 0 };
    worker.on('message', (m: WorkerToDriver) => {
      if (m.kind === 'ready') {
        ready++;
        wake();
      } else if (m.kind === 'done') {
        for (let j = 0; j < m.seqs.length; j++) ownBySeq.push({ seq: m.seqs[j]!, vs: m.violations[j]! });
        shard.outstanding--;
        wake();
      } else if (m.kind === 'finished') {
        const f = finished[k];
        if (f) f(m);
      } else {
        failure ??= new Error(`audit worker ${k}: ${m.message}`);
        wake();
      }
    });
    worker.on('error', (err) => {
      failure ??= err;
      wake();
    });
    shards.push(shard);
  }

  // resolve once every worker has loaded the engine and the plan (start-up is not audit time)
  while (!failure && ready < nWorkers) await new Promise<void>((r) => waiters.push(r));
  if (failure) {
    await Promise.all(shards.map((s) => s.worker.terminate()));
    throw failure;
  }

  let seq = 0;
  let batchNo = 0;
  const post = (s: Shard): void => {
    if (s.encs.length === 0) return;
    const c = s.cols;
    const msg: BatchToWorker = { kind: 'lines', batch: batchNo++, cols: c, encs: s.encs };
    s.worker.postMessage(msg, [c.item.buffer, c.category.buffer, c.quantity.buffer, c.unitPriceFen.buffer, c.amountFen.buffer, c.tMin.buffer] as ArrayBuffer[]);
    s.outstanding++;
    s.cols = allocColumns(batchLines);
    s.encs = [];
  };

  function add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): void {
    if (failure) throw failure;
    global.add(ctx, cols, from, to);
    const s = shards[shardOf(ctx.encounter.personId, nWorkers)]!;
    const n = to - from;
    if (s.cols.length + n > s.cols.id.length) {
      post(s);
      if (n > s.cols.id.length) s.cols = allocColumns(n);
    }
    const c = s.cols;
    const base = c.length;
    for (let i = from, j = base; i < to; i++, j++) {
      c.id[j] = cols.id[i]!;
      c.itemCode[j] = cols.itemCode[i]!;
      c.localCode[j] = cols.localCode[i]!;
      c.mappedCode[j] = cols.mappedCode[i]!;
      c.itemName[j] = cols.itemName[i]!;
      c.doctorId[j] = cols.doctorId[i]!;
      c.departmentId[j] = cols.departmentId[i]!;
      c.chargedAt[j] = cols.chargedAt[i]!;
    }
    // encounterId / institutionId columns are not read by the engine (the encounter carries them)
    c.item.set(cols.item.subarray(from, to), base);
    c.category.set(cols.category.subarray(from, to), base);
    c.quantity.set(cols.quantity.subarray(from, to), base);
    c.unitPriceFen.set(cols.unitPriceFen.subarray(from, to), base);
    c.amountFen.set(cols.amountFen.subarray(from, to), base);
    c.tMin.set(cols.tMin.subarray(from, to), base);
    c.length = base + n;
    s.encs.push({ seq: seq++, e: ctx.encounter, level: ctx.institutionLevel, from: base, to: base + n });
    if (c.length >= batchLines) post(s);
  }

  async function drain(): Promise<void> {
    for (const s of shards) post(s);
    while (!failure && shards.some((s) => s.outstanding > 0)) await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
  }

  async function close(): Promise<void> {
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }

  async function finish(): Promise<Violation[]> {
    try {
      await drain();
      const results = await Promise.all(
        shards.map(
          (s, k) =>
            new Promise<Extract<WorkerToDriver, { kind: 'finished' }>>((resolve, reject) => {
              finished[k] = resolve;
              waiters.push(() => failure && reject(failure));
              s.worker.postMessage({ kind: 'finish' } satisfies BatchToWorker);
            }),
        ),
      );
      if (failure) throw failure;
      const out: Violation[] = [];
      ownBySeq.sort((a, b) => a.seq - b.seq);
      for (const x of ownBySeq) for (const v of x.vs) out.push(v);
      const cross: Violation[] = [];
      for (const r of results) cross.push(...r.violations);
      cross.push(...global.finish());
      // stable: within a kind group, shard order then the global part
      const rank = (v: Violation): number => CROSS_ORDER[v.kind] ?? 7;
      cross.sort((a, b) => rank(a) - rank(b));
      for (const v of cross) out.push(v);
      return out;
    } finally {
      finished = [];
      await close();
    }
  }

  return {
    add,
    drain,
    finish,
    close,
    workers: nWorkers,
    get encounters() {
      return global.encounters;
    },
    get lines() {
      return global.lines;
    },
  };
}
