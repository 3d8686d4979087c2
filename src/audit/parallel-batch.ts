/**
 * Parallel batch audit (事后, several threads). Encounters are split by person (a hash of personId)
 * across worker threads, each running the `person` part of the batch (every per-encounter rule and
 * the patient-history rules, which never look past one person). Lines reach the workers as shared
 * blocks (line-block.ts): numbers in SharedArrayBuffers read in place, strings as ids into one pool,
 * encounters as packed records; line ids stay here. The workers also return the few facts the two
 * cross-patient rules need (encounter totals; drug lines: doctor, drug, minute, amount), and the
 * calling thread runs those rules (`global` part: 医师高频开药, 单次费用超同组均值) from the facts, in
 * the single-threaded order. The violations are the same as createBatchAudit's single-threaded run —
 * same rules, encounters, lines, amounts, evidence — and the encounter-level ones come back in the
 * order the encounters were added; the cross-encounter ones follow, grouped by rule kind in the order
 * the single-threaded finish() emits them (within a kind, shard by shard).
 *
 * This file is infrastructure around the pure engine (it starts threads); batch.ts stays pure.
 */
import { Worker } from 'node:worker_threads';
import type { SettlementLine } from '../domain/index.js';
import type { AuditPlan } from './compile.js';
import type { LineColumns } from './columns.js';
import { createBatchAudit } from './batch.js';
import { addBlockEncounter, allocLineBlock, appendColumns, appendLine, ENC_STRIDE, growLineBlock, LINE_REF_BLOCK, resetLineBlock, StringPool } from './line-block.js';
import type { LineBlock, SharedColumns } from './line-block.js';
import type { AuditEncounter, RuleKind, Violation } from './types.js';
import { Decoder } from './wire.js';
import { createShardAuditor } from './shard.js';
import type { Encoded } from './wire.js';

/** One block for one worker: the shared columns, that worker's encounters, the pool's new strings. */
export interface BlockMessage {
  kind: 'block';
  block: number;
  length: number;
  cols: SharedColumns;
  newStrings: string[];
  /** sequence number of the block's first encounter (records carry block-local numbers) */
  seqBase: number;
  n: number;
  rec: Int32Array;
  codes: Int32Array;
  ids: string[];
}
/** Cross-patient facts of one worker's encounters in a block (lines as references). */
export interface BlockFacts {
  seq: Int32Array;
  total: Float64Array;
  dSeq: Int32Array;
  dLine: Float64Array;
  dDoc: Int32Array;
  /** plan item index, or -2 - pool id of the code when the plan does not know it */
  dCode: Int32Array;
  dT: Int32Array;
  dAmount: Float64Array;
}
export type BatchToWorker = BlockMessage | { kind: 'finish' };
export type WorkerToDriver =
  /** violations: one encoded Violation[] per entry of seqs */
  | { kind: 'done'; block: number; seqs: number[]; violations: Encoded; facts: BlockFacts }
  /** violations: encoded Violation items */
  | { kind: 'finished'; violations: Encoded; encounters: number; lines: number }
  | { kind: 'ready' }
  | { kind: 'error'; message: string };

export interface ParallelBatchOptions {
  /** worker threads (≥ 1) */
  workers: number;
  /**
   * The calling thread audits one more shard itself (in submit()), instead of only handing blocks
   * out: one thread fewer on the cores, and that shard's violations need no encoding.
   */
  callerShard?: boolean;
  /** lines per block; default 65,536 */
  batchLines?: number;
}

export interface ParallelBatchAudit {
  /** Queue one encounter's lines [from, to) of `cols` (copied into the current block; `cols` may be reused). */
  add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): void;
  /** Append one stored line to the current encounter (the reader's path: no intermediate columns). */
  pushLine(l: SettlementLine): void;
  /** The lines pushed since the last call belong to `ctx`; `undefined` discards them (orphan lines). */
  endEncounter(ctx: AuditEncounter | undefined): void;
  /** The pool that string ids of blocks refer to. */
  readonly strings: StringPool;
  /** An empty block to fill (appendColumns / appendLine, then addEncounter) and submit. */
  newBlock(capacity?: number): LineBlock;
  /** Register the encounter of lines [from, to) of a block being filled. */
  addEncounter(b: LineBlock, ctx: AuditEncounter, from: number, to: number): void;
  /** Hand a filled block to the workers (the block belongs to the driver from now on). */
  submit(b: LineBlock): void;
  /** Resolves when every block submitted so far has been audited. */
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

interface InFlight {
  encounters: AuditEncounter[];
  encShard: number[];
  seqBase: number;
  pending: number;
  facts: BlockFacts[];
  block: LineBlock;
}

export async function createParallelBatchAudit(plan: AuditPlan, opts: ParallelBatchOptions): Promise<ParallelBatchAudit> {
  const nWorkers = Math.max(1, Math.floor(opts.workers));
  // shards 0 … nWorkers-1 are the workers'; with callerShard the last one is this thread's
  const nShards = nWorkers + (opts.callerShard ? 1 : 0);
  const batchLines = opts.batchLines ?? 65_536;
  const pool = new StringPool();
  const S = pool.strings;
  // line ids of every submitted block: violations name lines by reference until they reach here
  const idsByBlock: string[][] = [];
  const lineId = (ref: string): string => {
    const r = ref as unknown as number;
    return idsByBlock[Math.floor(r / LINE_REF_BLOCK)]![r % LINE_REF_BLOCK]!;
  };
  const resolve = (v: Violation): Violation => {
    const ids = v.lineIds;
    for (let k = 0; k < ids.length; k++) ids[k] = lineId(ids[k]!);
    return v;
  };
  const global = createBatchAudit(plan, { part: 'global', lineId });
  const ownBySeq: { seq: number; vs: Violation[] }[] = [];
  const inflight = new Map<number, InFlight>();
  const free: LineBlock[] = [];
  let nextGlobal = 0;
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

  /** The cross-patient part takes each block's facts in encounter order (first-sight numbering as single-threaded). */
  const feedGlobal = (): void => {
    for (let b = inflight.get(nextGlobal); b && b.pending === 0; b = inflight.get(nextGlobal)) {
      const nEnc = b.encounters.length;
      let n = 0;
      for (const f of b.facts) n += f.dSeq.length;
      const totals = new Float64Array(nEnc);
      const enc = new Int32Array(n), doctor = new Int32Array(n), code = new Int32Array(n), tMin = new Int32Array(n), line = new Float64Array(n), amountFen = new Float64Array(n);
      const fi = new Array<number>(nShards).fill(0);
      const di = new Array<number>(nShards).fill(0);
      let j = 0;
      // merge the shards' facts back into encounter (= line) order
      for (let k = 0; k < nEnc; k++) {
        const s = b.encShard[k]!;
        const f = b.facts[s]!;
        const seq = b.seqBase + k;
        if (f.seq[fi[s]!] !== seq) throw new Error(`audit worker ${s}: facts out of order at encounter ${seq}`);
        totals[k] = f.total[fi[s]!++]!;
        let x = di[s]!;
        for (; x < f.dSeq.length && f.dSeq[x] === seq; x++, j++) {
          enc[j] = k;
          doctor[j] = f.dDoc[x]!;
          code[j] = f.dCode[x]!;
          tMin[j] = f.dT[x]!;
          line[j] = f.dLine[x]!;
          amountFen[j] = f.dAmount[x]!;
        }
        di[s] = x;
      }
      global.addFacts({ encounters: b.encounters, totals, n, enc, doctor, code, tMin, line, amountFen, S });
      inflight.delete(nextGlobal++);
      resetLineBlock(b.block);
      free.push(b.block);
    }
  };

  const workers: Worker[] = [];
  const finishedViolations: Violation[][] = [];
  const sent: number[] = [];
  let ready = 0;
  let closing = false;
  for (let k = 0; k < nWorkers; k++) {
    // batch-worker.mjs registers tsx and loads the TypeScript worker (no build step, as the CLI)
    const worker = new Worker(new URL('./batch-worker.mjs', import.meta.url), { workerData: { plan } });
    const decoder = new Decoder(plan.rules);
    worker.on('message', (m: WorkerToDriver) => {
      if (m.kind === 'ready') {
        ready++;
        wake();
      } else if (m.kind === 'done') {
        try {
          const b = inflight.get(m.block)!;
          const decoded = decoder.decode(m.violations, (j) => b.encounters[m.seqs[j]! - b.seqBase]!.encounter) as Violation[][];
          for (let j = 0; j < m.seqs.length; j++) {
            const vs = decoded[j]!;
            for (const v of vs) resolve(v);
            ownBySeq.push({ seq: m.seqs[j]!, vs });
          }
          b.facts[k] = m.facts;
          b.pending--;
          feedGlobal();
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
        wake();
      } else if (m.kind === 'finished') {
        finishedViolations[k] = decoder.decode(m.violations) as Violation[];
        const f = finished[k];
        if (f) f(m);
      } else fail(new Error(`audit worker ${k}: ${m.message}`));
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => {
      // a worker only stops when finish()/close() terminates it: anything earlier is a failure
      if (!closing) fail(new Error(`audit worker ${k} exited (code ${code}) before the batch finished`));
    });
    workers.push(worker);
    sent.push(0);
  }

  // resolve once every worker has loaded the engine and the plan (start-up is not audit time)
  while (!failure && ready < nWorkers) await new Promise<void>((r) => waiters.push(r));
  if (failure) {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
    throw failure;
  }

  const local = opts.callerShard ? createShardAuditor(plan, S) : undefined;
  let seq = 0;
  let blockNo = 0;
  let nEncounters = 0;
  let nLines = 0;

  function newBlock(capacity = batchLines): LineBlock {
    const i = free.findIndex((b) => b.capacity >= capacity);
    return i >= 0 ? free.splice(i, 1)[0]! : allocLineBlock(capacity, nShards);
  }

  function addEncounter(b: LineBlock, ctx: AuditEncounter, from: number, to: number): void {
    addBlockEncounter(b, pool, ctx, from, to, b.encounters.length);
    nEncounters++;
    nLines += to - from;
  }

  function submit(b: LineBlock): void {
    if (failure) throw failure;
    if (b.length >= LINE_REF_BLOCK) throw new RangeError(`a block holds at most ${LINE_REF_BLOCK - 1} lines`);
    const no = blockNo++;
    const seqBase = seq;
    seq += b.encounters.length;
    idsByBlock[no] = b.id;
    const flight: InFlight = { encounters: b.encounters.slice(), encShard: b.encShard.slice(), seqBase, pending: nShards, facts: [], block: b };
    inflight.set(no, flight);
    for (let k = 0; k < nWorkers; k++) {
      const sh = b.shards[k]!;
      const rec = sh.rec.slice(0, sh.n * ENC_STRIDE);
      const codes = sh.codes.slice(0, sh.nCodes);
      const msg: BlockMessage = { kind: 'block', block: no, length: b.length, cols: b.cols, newStrings: S.slice(sent[k]!), seqBase, n: sh.n, rec, codes, ids: sh.ids };
      sent[k] = S.length;
      workers[k]!.postMessage(msg, [rec.buffer, codes.buffer] as ArrayBuffer[]);
    }
    if (local) {
      // this thread's shard, while the workers audit theirs
      const sh = b.shards[nWorkers]!;
      const m: BlockMessage = { kind: 'block', block: no, length: b.length, cols: b.cols, newStrings: [], seqBase, n: sh.n, rec: sh.rec, codes: sh.codes, ids: sh.ids };
      flight.facts[nWorkers] = local.block(m, (seq, _ctx, vs) => {
        for (const v of vs) resolve(v);
        ownBySeq.push({ seq, vs });
      });
      flight.pending--;
      feedGlobal();
    }
  }

  // the reader's block: encounters are appended whole, and the block goes once it holds batchLines
  let cur = newBlock(batchLines * 2);
  let open = 0;
  const room = (n: number): void => {
    if (cur.length + n <= cur.capacity) return;
    if (open === cur.length && cur.length > 0) {
      submit(cur);
      cur = newBlock(Math.max(batchLines * 2, n));
      open = 0;
    }
    if (cur.length + n > cur.capacity) cur = growLineBlock(cur, Math.max(cur.capacity * 2, cur.length + n));
  };
  const endBlock = (): void => {
    if (cur.length >= batchLines) {
      submit(cur);
      cur = newBlock(batchLines * 2);
      open = 0;
    }
  };

  function add(ctx: AuditEncounter, cols: LineColumns, from: number, to: number): void {
    if (failure) throw failure;
    room(to - from);
    const at = cur.length;
    appendColumns(cur, pool, cols, from, to);
    addEncounter(cur, ctx, at, cur.length);
    open = cur.length;
    endBlock();
  }

  function pushLine(l: SettlementLine): void {
    room(1);
    appendLine(cur, pool, plan, l);
  }

  function endEncounter(ctx: AuditEncounter | undefined): void {
    if (failure) throw failure;
    if (ctx) addEncounter(cur, ctx, open, cur.length);
    else cur.length = open;
    open = cur.length;
    endBlock();
  }

  async function drain(): Promise<void> {
    if (cur.encounters.length > 0) {
      submit(cur);
      cur = newBlock(batchLines * 2);
      open = 0;
    }
    while (!failure && inflight.size > 0) await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
  }

  async function close(): Promise<void> {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  async function finish(): Promise<Violation[]> {
    try {
      await drain();
      await Promise.all(
        workers.map(
          (w, k) =>
            new Promise<Extract<WorkerToDriver, { kind: 'finished' }>>((resolve, reject) => {
              finished[k] = resolve;
              rejectFinish.push(reject);
              if (failure) reject(failure);
              w.postMessage({ kind: 'finish' } satisfies BatchToWorker);
            }),
        ),
      );
      if (failure) throw failure;
      const out: Violation[] = [];
      ownBySeq.sort((a, b) => a.seq - b.seq);
      for (const x of ownBySeq) for (const v of x.vs) out.push(v);
      const cross: Violation[] = [];
      for (const vs of finishedViolations) for (const v of vs) cross.push(resolve(v));
      if (local) for (const v of local.finish()) cross.push(resolve(v));
      for (const v of global.finish()) cross.push(v);
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
    pushLine,
    endEncounter,
    strings: pool,
    newBlock,
    addEncounter,
    submit,
    drain,
    finish,
    close,
    workers: nWorkers,
    get encounters() {
      return nEncounters;
    },
    get lines() {
      return nLines;
    },
  };
}
