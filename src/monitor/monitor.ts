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
import { alertIdOf, commitBatch, loadCheckpoint } from './sink.js';
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
  /** stop after this many lines (processed in this run) */
  readonly maxLines?: number;
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
  let alertsTotal = cp?.alertsEmitted ?? 0;
  let rejectedTotal = cp?.rejected ?? 0;
  let linesThisRun = 0;
  let alertsThisRun = 0;
  let rejectedThisRun = 0;
  let skipped = 0;
  let batches = 0;
  const latencies: number[] = [];
  const e2e: number[] = [];

  try {
    for await (const batch of source.read(position, controller.signal)) {
      const alerts: MonitorAlert[] = [];
      const rejects: Extract<SourceRecord, { kind: 'reject' }>[] = [];
      const timing: { received: number; published?: number }[] = [];
      let batchPos = position;
      let consumed = 0;
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
        if (opts.maxLines !== undefined && linesThisRun + consumed >= opts.maxLines) break;
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
            timing.push({ received: rec.receivedAtMs, published: rec.publishedAtMs });
          }
        }
      }
      if (batchPos === position) {
        // nothing new (all redeliveries): just acknowledge them again
        await source.ack(batch);
        continue;
      }
      // A replayed window may legitimately re-derive an alert within one batch; keep the first.
      const unique = dedupe(alerts);
      for (const a of unique) opts.onAlert?.(a);
      for (const r of rejects) opts.onReject?.(r);
      linesThisRun += consumed - rejects.length;
      linesTotal += consumed - rejects.length;
      rejectedThisRun += rejects.length;
      rejectedTotal += rejects.length;
      alertsThisRun += unique.length;
      alertsTotal += unique.length;
      const checkpoint: Checkpoint = {
        consumerId,
        source: source.name,
        position: batchPos!,
        linesProcessed: linesTotal,
        alertsEmitted: alertsTotal,
        rejected: rejectedTotal,
        snapshot: evaluator.snapshot(),
        updatedAt: clock().toISOString(),
      };
      await commitBatch(store, unique, rejects, checkpoint);
      const done = Date.now();
      for (const t of timing) {
        latencies.push(done - t.received);
        if (t.published !== undefined) e2e.push(done - t.published);
      }
      position = batchPos;
      batches++;
      await source.ack(batch);
      opts.onCommit?.(checkpoint);
      if (opts.maxLines !== undefined && linesThisRun + rejectedThisRun >= opts.maxLines) break;
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
