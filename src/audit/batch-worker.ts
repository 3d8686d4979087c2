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
import type { BatchToWorker, WorkerToDriver } from './parallel-batch.js';
import type { Violation } from './types.js';

const { plan } = workerData as { plan: AuditPlan };
const batch = createBatchAudit(plan, { part: 'person' });
const port = parentPort!;
port.postMessage({ kind: 'ready' } satisfies WorkerToDriver);

port.on('message', (msg: BatchToWorker) => {
  try {
    if (msg.kind === 'lines') {
      const { cols, encs } = msg;
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
