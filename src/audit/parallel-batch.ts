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

/**
 * A batch of lines for a worker. Strings of bounded variety (codes, names, doctors, departments) go
 * as indexes into a per-worker dictionary that grows by `newStrings`; line ids and charge times go as
 * they are; numbers go as transferred typed arrays. Structured-cloning every string of every line
 * cost more than auditing it.
 */
export interface LinesMessage {
  kind: 'lines';
  batch: number;
  length: number;
  newStrings: string[];
  /** DICT_COLUMNS.length × capacity dictionary indexes, column after column (itemCode -1: the plan item's code) */
  dict: Int32Array;
  id: string[];
  chargedAt: string[];
  item: Int32Array;
  category: Uint8Array;
  quantity: Float64Array;
  unitPriceFen: Float64Array;
  amountFen: Float64Array;
  tMin: Int32Array;
  encs: ShardEncounter[];
}
export type BatchToWorker = LinesMessage | { kind: 'finish' };
export const DICT_COLUMNS = ['itemCode', 'localCode', 'mappedCode', 'itemName', 'doctorId', 'departmentId'] as const;
export type WorkerToDriver =
  | { kind: 'done'; batch: number; seqs: number[]; violations: Violation[][] }
  | { kind: 'finished'; violations: Violation[]; encounters: number; lines: number }
  | { kind: 'ready' }
  | { kind: 'error'; message: string };

export interface ParallelBatchOptions {
  /** worker threads (≥ 1) */
  workers: number;
  /** lines per message to a worker; default 65,536 */
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
  msg: LinesMessage;
  dictIndex: Map<string, number>;
  outstanding: number;
}

const newMessage = (capacity: number): LinesMessage => ({
  kind: 'lines',
  batch: 0,
  length: 0,
  newStrings: [],
  dict: new Int32Array(capacity * DICT_COLUMNS.length),
  id: new Array<string>(capacity),
  chargedAt: new Array<string>(capacity),
  item: new Int32Array(capacity),
  category: new Uint8Array(capacity),
  quantity: new Float64Array(capacity),
  unitPriceFen: new Float64Array(capacity),
  amountFen: new Float64Array(capacity),
  tMin: new Int32Array(capacity),
  encs: [],
});

export async function createParallelBatchAudit(plan: AuditPlan, opts: ParallelBatchOptions): Promise<ParallelBatchAudit> {
  const nWorkers = Math.max(1, Math.floor(opts.workers));
  const batchLines = opts.batchLines ?? 65_536;
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
  let rejectFinish: ((err: Error) => void)[] = [];
  const fail = (err: Error): void => {
    failure ??= err;
    for (const r of rejectFinish) r(failure);
    wake();
  };

  const shards: Shard[] = [];
  let ready = 0;
  let closing = false;
  for (let k = 0; k < nWorkers; k++) {
    // batch-worker.mjs registers tsx and loads the TypeScript worker (no build step, as the CLI)
    const worker = new Worker(new URL('./batch-worker.mjs', import.meta.url), { workerData: { plan } });
    const shard: Shard = { worker, msg: newMessage(batchLines), dictIndex: new Map(), outstanding: 0 };
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
      } else fail(new Error(`audit worker ${k}: ${m.message}`));
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => {
      // a worker only stops when finish()/close() terminates it: anything earlier is a failure
      if (!closing) fail(new Error(`audit worker ${k} exited (code ${code}) before the batch finished`));
    });
    shards.push(shard);
  }

  // resolve once every worker has loaded the engine and the plan (start-up is not audit time)
  while (!failure && ready < nWorkers) await new Promise<void>((r) => waiters.push(r));
  if (failure) {
    closing = true;
    await Promise.all(shards.map((s) => s.worker.terminate()));
    throw failure;
  }

  let seq = 0;
  let batchNo = 0;
  const post = (s: Shard): void => {
    const m = s.msg;
    if (m.encs.length === 0) return;
    m.batch = batchNo++;
    if (m.length < m.id.length) {
      m.id.length = m.length;
      m.chargedAt.length = m.length;
    }
    s.worker.postMessage(m, [m.dict.buffer, m.item.buffer, m.category.buffer, m.quantity.buffer, m.unitPriceFen.buffer, m.amountFen.buffer, m.tMin.buffer] as ArrayBuffer[]);
    s.outstanding++;
    s.msg = newMessage(batchLines);
  };

  function add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): void {
    if (failure) throw failure;
    global.add(ctx, cols, from, to);
    const s = shards[shardOf(ctx.encounter.personId, nWorkers)]!;
    const n = to - from;
    if (s.msg.length + n > s.msg.item.length) {
      post(s);
      if (n > s.msg.item.length) s.msg = newMessage(n);
    }
    const m = s.msg;
    const cap = m.item.length;
    const base = m.length;
    const dictIndex = s.dictIndex;
    for (let k = 0; k < DICT_COLUMNS.length; k++) {
      const src = cols[DICT_COLUMNS[k]!];
      const off = k * cap;
      // consecutive lines often repeat a value (same doctor, department): skip the lookup then
      let last: string | undefined;
      let lastIdx = -1;
      for (let i = from, j = off + base; i < to; i++, j++) {
        // a code the plan knows is its item's code (item = codeIndex.get(itemCode)): -1 says so
        if (k === 0 && cols.item[i]! >= 0) {
          m.dict[j] = -1;
          continue;
        }
        const v = src[i]!;
        if (v !== last) {
          let x = dictIndex.get(v);
          if (x === undefined) {
            dictIndex.set(v, (x = dictIndex.size));
            m.newStrings.push(v);
          }
          last = v;
          lastIdx = x;
        }
        m.dict[j] = lastIdx;
      }
    }
    for (let i = from, j = base; i < to; i++, j++) {
      m.id[j] = cols.id[i]!;
      m.chargedAt[j] = cols.chargedAt[i]!;
    }
    m.item.set(cols.item.subarray(from, to), base);
    m.category.set(cols.category.subarray(from, to), base);
    m.quantity.set(cols.quantity.subarray(from, to), base);
    m.unitPriceFen.set(cols.unitPriceFen.subarray(from, to), base);
    m.amountFen.set(cols.amountFen.subarray(from, to), base);
    m.tMin.set(cols.tMin.subarray(from, to), base);
    m.length = base + n;
    m.encs.push({ seq: seq++, e: ctx.encounter, level: ctx.institutionLevel, from: base, to: base + n });
    if (m.length >= batchLines) post(s);
  }

  async function drain(): Promise<void> {
    for (const s of shards) post(s);
    while (!failure && shards.some((s) => s.outstanding > 0)) await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
  }

  async function close(): Promise<void> {
    closing = true;
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
              rejectFinish.push(reject);
              if (failure) reject(failure);
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
      rejectFinish = [];
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
