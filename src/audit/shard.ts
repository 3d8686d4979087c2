/**
 * One shard of the parallel batch audit: runs the `person` part of the batch over the encounters of
 * a block that belong to it (all encounters of a person land in one shard). It reads the block's
 * shared columns in place, turns string ids back into strings only for its own lines, and names
 * lines by reference (block · 2^24 + index): the driver maps references to line ids. Each block
 * yields the violations of its encounters (with their sequence number, so the driver restores the
 * single-threaded order) and the cross-patient facts the driver needs (encounter totals, drug lines).
 * Used by the worker threads (batch-worker.ts) and, optionally, by the calling thread itself.
 */
import type { AuditPlan } from './compile.js';
import { createBatchAudit } from './batch.js';
import type { LineColumns } from './columns.js';
import { decodeEncounter, ENC, ENC_STRIDE, LINE_REF_BLOCK } from './line-block.js';
import type { BlockMessage, BlockFacts } from './parallel-batch.js';
import type { AuditEncounter, Violation } from './types.js';

export interface ShardAuditor {
  /** Audit this shard's encounters of a block; `S` is the string pool as far as the block needs it. */
  block(m: BlockMessage, onViolations: (seq: number, ctx: AuditEncounter, vs: Violation[]) => void): BlockFacts;
  /** The shard's cross-encounter violations (lines by reference). */
  finish(): Violation[];
  readonly encounters: number;
  readonly lines: number;
}

export function createShardAuditor(plan: AuditPlan, S: readonly string[]): ShardAuditor {
  const NONE: string[] = [];
  // facts of the current block, grown as needed and sent (copied out) with its answer
  let fN = 0;
  let fSeq = new Int32Array(1024);
  let fTotal = new Float64Array(1024);
  let dN = 0;
  let dSeq = new Int32Array(4096);
  let dLine = new Float64Array(4096);
  let dDoc = new Int32Array(4096);
  let dCode = new Int32Array(4096);
  let dT = new Int32Array(4096);
  let dAmount = new Float64Array(4096);
  let curSeq = 0;
  let cur!: BlockMessage;
  const grow = <T extends Int32Array | Float64Array>(a: T): T => {
    const b = new (a.constructor as { new (n: number): T })(a.length * 2);
    b.set(a);
    return b;
  };

  const batch = createBatchAudit(plan, {
    part: 'person',
    onFeatures: (_ctx, cols, _from, _to, f) => {
      if (fN === fSeq.length) (fSeq = grow(fSeq)), (fTotal = grow(fTotal));
      fSeq[fN] = curSeq;
      fTotal[fN++] = f.totalFen;
      const c = cur.cols;
      for (const i of f.drugs) {
        if (dN === dSeq.length) (dSeq = grow(dSeq)), (dLine = grow(dLine)), (dDoc = grow(dDoc)), (dCode = grow(dCode)), (dT = grow(dT)), (dAmount = grow(dAmount));
        dSeq[dN] = curSeq;
        dLine[dN] = (cols.id as unknown as Float64Array)[i]!;
        dDoc[dN] = c.doctorId[i]!;
        // known items by plan index, unknown codes by pool id (-2 - id)
        dCode[dN] = c.item[i]! >= 0 ? c.item[i]! : -2 - c.itemCode[i]!;
        dT[dN] = c.tMin[i]!;
        dAmount[dN++] = c.amountFen[i]!;
      }
    },
  });

  const itemCodes = plan.items.map((x) => x.code);
  // decoded string columns, reused across blocks; only this shard's lines are filled
  let cap = 0;
  let ref = new Float64Array(0);
  const str: Record<'itemCode' | 'localCode' | 'mappedCode' | 'itemName' | 'doctorId' | 'departmentId' | 'chargedAt', string[]> = {
    itemCode: [], localCode: [], mappedCode: [], itemName: [], doctorId: [], departmentId: [], chargedAt: [],
  };

  function columns(m: BlockMessage): LineColumns {
    const c = m.cols;
    if (m.length > cap) {
      cap = m.length;
      ref = new Float64Array(cap);
      // filled arrays (packed elements): writing a shard's scattered slices into [] would make them sparse
      for (const k of Object.keys(str) as (keyof typeof str)[]) str[k] = new Array<string>(cap).fill('');
    }
    const base = m.block * LINE_REF_BLOCK;
    const { rec } = m;
    for (let k = 0; k < m.n; k++) {
      const from = rec[k * ENC_STRIDE + ENC.from]!;
      const to = rec[k * ENC_STRIDE + ENC.to]!;
      for (let i = from; i < to; i++) {
        ref[i] = base + i;
        const x = c.itemCode[i]!;
        str.itemCode[i] = x < 0 ? itemCodes[c.item[i]!]! : S[x]!;
        str.localCode[i] = S[c.localCode[i]!]!;
        str.mappedCode[i] = S[c.mappedCode[i]!]!;
        str.itemName[i] = S[c.itemName[i]!]!;
        str.doctorId[i] = S[c.doctorId[i]!]!;
        str.departmentId[i] = S[c.departmentId[i]!]!;
        str.chargedAt[i] = S[c.chargedAt[i]!]!;
      }
    }
    return {
      length: m.length,
      id: ref as unknown as string[], // references, mapped to ids by the driver
      encounterId: NONE, // not read by the engine: the encounter carries it
      institutionId: NONE,
      ...str,
      item: c.item,
      category: c.category,
      quantity: c.quantity,
      unitPriceFen: c.unitPriceFen,
      amountFen: c.amountFen,
      tMin: c.tMin,
    };
  }

  function block(m: BlockMessage, onViolations: (seq: number, ctx: AuditEncounter, vs: Violation[]) => void): BlockFacts {
    cur = m;
    fN = 0;
    dN = 0;
    const cols = columns(m);
    for (let k = 0; k < m.n; k++) {
      const ctx = decodeEncounter(m.rec, m.codes, k, m.ids[k]!, S);
      curSeq = m.seqBase + m.rec[k * ENC_STRIDE + ENC.seq]!;
      const out = batch.add(ctx, cols, m.rec[k * ENC_STRIDE + ENC.from]!, m.rec[k * ENC_STRIDE + ENC.to]!);
      if (out.length > 0) onViolations(curSeq, ctx, out);
    }
    const facts: BlockFacts = {
      seq: fSeq.slice(0, fN),
      total: fTotal.slice(0, fN),
      dSeq: dSeq.slice(0, dN),
      dLine: dLine.slice(0, dN),
      dDoc: dDoc.slice(0, dN),
      dCode: dCode.slice(0, dN),
      dT: dT.slice(0, dN),
      dAmount: dAmount.slice(0, dN),
    };
    return facts;
  }

  return {
    block,
    finish: () => batch.finish(),
    get encounters() {
      return batch.encounters;
    },
    get lines() {
      return batch.lines;
    },
  };
}
