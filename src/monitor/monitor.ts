/**
 * The monitor loop. For each batch a source yields:
 *   1. skip records at or before the checkpoint position (redeliveries after a crash),
 *   2. push every line with its context through the evaluator; collect alerts and rejects,
 *   3. emit the alerts (stdout: at-least-once, deduplicate by `alertId`),
 *   4. in ONE transaction: insert alerts and rejects (idempotent) and move the checkpoint
 *      (position + evaluator snapshot) — the table is exactly-once,
 *   5. acknowledge the records to the source.
 * A crash before 4 replays the batch from the previous checkpoint and snapshot — same lines, same
 * state, same deterministic alert ids; a crash between 4 and 5 redelivers records that step 1 skips.
 */
import type { Store } from '../store/index.js';
import { alertIdOf, commitBatch, filterStored, loadCheckpoint } from './sink.js';
import type { Checkpoint, LineSource, MonitorAlert, SourceRecord, StreamEvaluatorLike } from './types.js';
import type { SettlementLine } from '../domain/index.js';

/** Thrown by a context provider when a line cannot be evaluated (e.g. unknown encounter): recorded as a reject. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

export interface MonitorOptions<C> {
  readonly store: Store;
  readonly source: LineSource;
  readonly evaluator: StreamEvaluatorLike<C>;
  /** the evaluator's per-line context (encounter, institution level …); may be async (store lookups) */
  readonly context: (line: SettlementLine) => C | Promise<C>;
  /** called once per batch before its lines are evaluated (bulk-load their contexts) */
  readonly prefetch?: (lines: readonly SettlementLine[]) => Promise<void>;
  /** consumer name: one checkpoint per consumer */
  readonly consumerId: string;
  readonly onAlert?: (alert: MonitorAlert) => void;
  readonly onReject?: (reject: Extract<SourceRecord, { kind: 'reject' }>) => void;
  /** called after each committed batch (progress) */
  readonly onCommit?: (checkpoint: Checkpoint) => void;
  readonly signal?: AbortSignal;
  /** wall clock for `detectedAt` and the checkpoint time (tests pass a fixed one) */
  readonly clock?: () => Date;
  /** stop after this many records (lines and rejects) in this run */
  readonly maxLines?: number;
  /**
   * how often the checkpoint (position + evaluator snapshot) is written, default 1000 ms. Alerts are
   * committed with every batch regardless; after a crash the lines since the checkpoint are replayed
   * and their alerts, re-derived with the same ids, are recognised as already stored.
   */
  readonly checkpointEveryMs?: number;
}

export interface MonitorSummary {
  readonly consumerId: string;
  readonly source: string;
  readonly resumedFrom: string | null;
  readonly position: string | null;
  /** lines processed in this run / in total for the consumer */
  readonly linesThisRun: number;
  readonly linesTotal: number;
  readonly alertsThisRun: number;
  readonly alertsTotal: number;
  readonly rejectedThisRun: number;
  readonly skippedRedeliveries: number;
  readonly batches: number;
  /** per alert: ms from the line's arrival at the monitor to the committed alert */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly count: number };
  /** per alert: ms from publication (NATS header) to the committed alert, when known */
  readonly endToEndMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly count: number };
}

function quantiles(xs: number[]): { p50: number; p99: number; max: number; count: number } {
  if (xs.length === 0) return { p50: 0, p99: 0, max: 0, count: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { p50: q(0.5), p99: q(0.99), max: s[s.length - 1]!, count: s.length };
}

export async function runMonitor<C>(opts: MonitorOptions<C>): Promise<MonitorSummary> {
  const { store, source, evaluator, consumerId } = opts;
  const clock = opts.clock ?? (() => new Date());
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) controller.abort();

  const cp = await loadCheckpoint(store, consumerId);
  if (cp && cp.source !== source.name) {
    throw new Error(`monitor: consumer ${consumerId} was checkpointed on source ${cp.source}, not ${source.name}; use another --consumer or --reset`);
  }
  if (cp) evaluator.restore(cp.snapshot);
  let position: string | null = cp?.position ?? null;
  let linesTotal = cp?.linesProcessed ?? 0;
  let rejectedTotal = cp?.rejected ?? 0;
  // The table is the truth for the alert count: alerts committed after the last checkpoint survive a crash.
  let alertsTotal = Number((await store.query(`SELECT COUNT(*) AS n FROM monitor_alerts WHERE consumer_id = $1`, [consumerId]))[0]?.n ?? 0);
  const checkpointEveryMs = opts.checkpointEveryMs ?? 1000;
  let lastCheckpointAt = Date.now();
  let checkpointedPosition = position;
  let recordsThisRun = 0;
  const unacked: SourceRecord[] = [];
  const makeCheckpoint = (): Checkpoint => ({
    consumerId,
    source: source.name,
    position: position!,
    linesProcessed: linesTotal,
    alertsEmitted: alertsTotal,
    rejected: rejectedTotal,
    snapshot: evaluator.snapshot(),
    updatedAt: clock().toISOString(),
  });
  const afterCheckpoint = async (checkpoint: Checkpoint): Promise<void> => {
    lastCheckpointAt = Date.now();
    checkpointedPosition = checkpoint.position;
    // acknowledge only what the checkpoint covers: the source may then forget it
    await source.ack(unacked.splice(0));
    opts.onCommit?.(checkpoint);
  };
  let linesThisRun = 0;
  let alertsThisRun = 0;
  let rejectedThisRun = 0;
  let skipped = 0;
  let batches = 0;
  const latencies: number[] = [];
  const e2e: number[] = [];

  try {
    for await (const batch of source.read(position, controller.signal)) {
      if (batch.length === 0) {
        // idle heartbeat: write a due checkpoint so the position is durable and the source acked
        if (position !== null && position !== checkpointedPosition && Date.now() - lastCheckpointAt >= checkpointEveryMs) {
          const checkpoint = makeCheckpoint();
          await commitBatch(store, consumerId, [], [], checkpoint);
          await afterCheckpoint(checkpoint);
        }
        continue;
      }
      const alerts: MonitorAlert[] = [];
      const rejects: Extract<SourceRecord, { kind: 'reject' }>[] = [];
      const timing = new Map<string, { received: number; published?: number }>();
      let batchPos = position;
      let consumed = 0;
      if (batch.length > 0 && position !== null && batch.every((r) => source.compare(r.position, position!) <= 0)) {
        // nothing new (all redeliveries): acknowledge them again
        skipped += batch.length;
        await source.ack(batch);
        continue;
      }
      if (opts.prefetch) {
        const lines: SettlementLine[] = [];
        for (const rec of batch) if (rec.kind === 'line') lines.push(rec.line);
        await opts.prefetch(lines);
      }
      for (const rec of batch) {
        if (batchPos !== null && source.compare(rec.position, batchPos) <= 0) {
          skipped++;
          continue;
        }
        if (opts.maxLines !== undefined && recordsThisRun + consumed >= opts.maxLines) break;
        batchPos = rec.position;
        consumed++;
        if (rec.kind === 'reject') {
          rejects.push(rec);
          continue;
        }
        let ctx: C;
        try {
          const c = opts.context(rec.line);
          ctx = c instanceof Promise ? await c : c;
        } catch (e) {
          if (!(e instanceof ContextError)) throw e;
          rejects.push({ kind: 'reject', position: rec.position, raw: JSON.stringify(rec.line), reason: e.message, receivedAtMs: rec.receivedAtMs });
          continue;
        }
        const produced = evaluator.push(rec.line, ctx);
        if (produced.length) {
          const detectedAt = clock().toISOString();
          for (const a of produced) {
            alerts.push({
              alertId: alertIdOf(consumerId, a),
              consumerId,
              ruleId: a.ruleId,
              ruleVersion: a.ruleVersion,
              type: a.type ?? '',
              resultType: a.resultType,
              action: a.action,
              encounterId: a.encounterId,
              institutionId: a.institutionId,
              departmentId: a.departmentId,
              doctorId: a.doctorId,
              lineIds: [...a.lineIds],
              amountFen: a.amountFen,
              message: a.message,
              evidence: a.evidence,
              triggerLineId: a.triggerLineId ?? rec.line.id,
              lineChargedAt: rec.line.chargedAt,
              sourcePosition: rec.position,
              detectedAt,
            });
            const id = alerts[alerts.length - 1]!.alertId;
            if (!timing.has(id)) timing.set(id, { received: rec.receivedAtMs, published: rec.publishedAtMs });
          }
        }
      }
      if (batchPos === position) continue;
      // A replayed window may legitimately re-derive an alert within one batch; keep the first.
      // Alerts already stored (committed after the last checkpoint, before a crash) are not new.
      const fresh = await filterStored(store, dedupe(alerts));
      for (const a of fresh) opts.onAlert?.(a);
      for (const r of rejects) opts.onReject?.(r);
      recordsThisRun += consumed;
      linesThisRun += consumed - rejects.length;
      linesTotal += consumed - rejects.length;
      rejectedThisRun += rejects.length;
      rejectedTotal += rejects.length;
      alertsThisRun += fresh.length;
      alertsTotal += fresh.length;
      position = batchPos;
      // only what was consumed (or skipped) is acknowledged; records past a --max-lines stop are not
      for (const rec of batch) if (source.compare(rec.position, batchPos!) <= 0) unacked.push(rec);
      const stopping = opts.maxLines !== undefined && recordsThisRun >= opts.maxLines;
      const checkpointDue = stopping || Date.now() - lastCheckpointAt >= checkpointEveryMs;
      const checkpoint: Checkpoint | null = checkpointDue ? makeCheckpoint() : null;
      await commitBatch(store, consumerId, fresh, rejects, checkpoint);
      const done = Date.now();
      for (const a of fresh) {
        const t = timing.get(a.alertId)!;
        latencies.push(done - t.received);
        if (t.published !== undefined) e2e.push(done - t.published);
      }
      batches++;
      if (checkpoint) await afterCheckpoint(checkpoint);
      if (stopping) break;
    }
    // final checkpoint on a clean stop (end of input, idle exit, signal)
    if (position !== null && position !== checkpointedPosition) {
      const checkpoint = makeCheckpoint();
      await commitBatch(store, consumerId, [], [], checkpoint);
      await afterCheckpoint(checkpoint);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    controller.abort();
    await source.close();
  }
  return {
    consumerId,
    source: source.description,
    resumedFrom: cp?.position ?? null,
    position,
    linesThisRun,
    linesTotal,
    alertsThisRun,
    alertsTotal,
    rejectedThisRun,
    skippedRedeliveries: skipped,
    batches,
    latencyMs: quantiles(latencies),
    endToEndMs: quantiles(e2e),
  };
}

function dedupe(alerts: MonitorAlert[]): MonitorAlert[] {
  const seen = new Set<string>();
  const out: MonitorAlert[] = [];
  for (const a of alerts) {
    if (seen.has(a.alertId)) continue;
    seen.add(a.alertId);
    out.push(a);
  }
  return out;
}
