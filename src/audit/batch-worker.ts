/**
 * Worker thread of the parallel batch audit (parallel-batch.ts): runs the `person` part of the batch
 * over the encounters of its shard (all encounters of a person land in one shard). Receives column
 * slices, answers each batch with the violations of its encounters (tagged with their sequence
 * number, so the driver restores the single-threaded order) and, on `finish`, the shard's
 * cross-encounter violations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditPlan } from './compile.js';
import { createBatchAudit } from './batch.js';
import type { LineColumns } from './columns.js';
import type { BatchToWorker, LinesMessage, WorkerToDriver } from './parallel-batch.js';
import type { Violation } from './types.js';

const { plan } = workerData as { plan: AuditPlan };
const batch = createBatchAudit(plan, { part: 'person' });
const port = parentPort!;
const dict: string[] = [];
const NONE: string[] = [];

/** Columns of a batch: dictionary indexes back to strings (the engine reads string columns). */
function decode(m: LinesMessage): LineColumns {
  for (const x of m.newStrings) dict.push(x);
  const n = m.length;
  const cap = m.item.length;
  const codes = m.dict;
  const str = (k: number): string[] => {
    const out = new Array<string>(n);
    const off = k * cap;
    for (let i = 0; i < n; i++) out[i] = dict[codes[off + i]!]!;
    return out;
  };
  const itemCode = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const x = codes[i]!;
    itemCode[i] = x < 0 ? plan.items[m.item[i]!]!.code : dict[x]!;
  }
  return {
    length: n,
    id: m.id,
    encounterId: NONE, // not read by the engine: the encounter carries it
    institutionId: NONE,
    itemCode,
    localCode: str(1),
    mappedCode: str(2),
    itemName: str(3),
    item: m.item,
    category: m.category,
    quantity: m.quantity,
    unitPriceFen: m.unitPriceFen,
    amountFen: m.amountFen,
    doctorId: str(4),
    departmentId: str(5),
    chargedAt: m.chargedAt,
    tMin: m.tMin,
  };
}

port.on('message', (msg: BatchToWorker) => {
  try {
    if (msg.kind === 'lines') {
      const { encs } = msg;
      const cols = decode(msg);
      const seqs: number[] = [];
      const vs: Violation[][] = [];
      for (const x of encs) {
        const out = batch.add({ encounter: x.e, institutionLevel: x.level }, cols, x.from, x.to);
        if (out.length > 0) {
          seqs.push(x.seq);
          vs.push(out);
        }
      }
      port.postMessage({ kind: 'done', batch: msg.batch, seqs, violations: vs } satisfies WorkerToDriver);
    } else {
      port.postMessage({ kind: 'finished', violations: batch.finish(), encounters: batch.encounters, lines: batch.lines } satisfies WorkerToDriver);
    }
  } catch (err) {
    port.postMessage({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerToDriver);
  }
});

// engine and plan loaded: the driver starts timing and sending lines now
port.postMessage({ kind: 'ready' } satisfies WorkerToDriver);
