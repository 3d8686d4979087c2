/**
 * Worker thread of the parallel batch audit (parallel-batch.ts): one shard (shard.ts) behind a
 * message port. Blocks come in with the string pool's new entries; each is answered with its
 * encounters' violations, encoded (wire.ts; the usual form as rule index plus own values), and the
 * cross-patient facts; `finish` is answered with the shard's cross-encounter violations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditPlan } from './compile.js';
import type { BatchToWorker, WorkerToDriver } from './parallel-batch.js';
import { createShardAuditor } from './shard.js';
import type { AuditEncounter, Violation } from './types.js';
import { Encoder, transferables } from './wire.js';

const { plan } = workerData as { plan: AuditPlan };
const port = parentPort!;
const S: string[] = []; // the driver's string pool, as far as it has been sent
const shard = createShardAuditor(plan, S);
// violations go back encoded (strings and shapes once per run): see wire.ts
const wire = new Encoder();
const ruleIdx = new Map(plan.rules.map((r, i) => [r.id, i]));
const KEYS = ['ruleId', 'ruleVersion', 'kind', 'nationalClasses', 'resultType', 'action', 'encounterId', 'institutionId', 'departmentId', 'doctorId', 'lineIds', 'amountFen', 'message', 'evidence'];
const KEYS_TYPE = [...KEYS.slice(0, 4), 'type', ...KEYS.slice(4)];
function sameKeys(v: object, typed: boolean): boolean {
  const want = typed ? KEYS_TYPE : KEYS;
  let k = 0;
  for (const key in v) if (key !== want[k++]) return false;
  return k === want.length;
}

let seqs: number[] = [];
function encode(seq: number, ctx: AuditEncounter, out: Violation[]): void {
  seqs.push(seq);
  wire.list(out.length);
  for (const v of out) {
    const ri = ruleIdx.get(v.ruleId);
    const r = ri === undefined ? undefined : plan.rules[ri]!;
    // the usual form (evaluate.ts flush): the rule's fields go as its index, the encounter's are the driver's
    if (r && v.ruleVersion === r.version && v.kind === r.kind && v.nationalClasses === r.nationalClasses && v.encounterId === ctx.encounter.id && v.institutionId === ctx.encounter.institutionId && v.type === r.type && v.resultType === r.resultType && v.action === r.action && sameKeys(v, r.type !== undefined))
      wire.violation(ri!, v);
    else wire.value(v);
  }
}

port.on('message', (msg: BatchToWorker) => {
  try {
    if (msg.kind === 'block') {
      for (const x of msg.newStrings) S.push(x);
      seqs = [];
      const f = shard.block(msg, encode);
      const r: WorkerToDriver = { kind: 'done', block: msg.block, seqs, violations: wire.take(), facts: f };
      port.postMessage(r, [f.seq.buffer, f.total.buffer, f.dSeq.buffer, f.dLine.buffer, f.dDoc.buffer, f.dCode.buffer, f.dT.buffer, f.dAmount.buffer, ...transferables(r.violations)] as ArrayBuffer[]);
    } else {
      for (const v of shard.finish()) wire.item(v);
      const violations = wire.take();
      port.postMessage({ kind: 'finished', violations, encounters: shard.encounters, lines: shard.lines } satisfies WorkerToDriver, transferables(violations));
    }
  } catch (err) {
    port.postMessage({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerToDriver);
  }
});

// engine and plan loaded: the driver starts timing and sending lines now
port.postMessage({ kind: 'ready' } satisfies WorkerToDriver);
