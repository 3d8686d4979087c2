/**
 * Real-time monitoring (事中实时监控) types. The monitor is infrastructure around the audit engine's
 * incremental evaluator: it feeds settlement lines in arrival order, persists the alerts and a
 * checkpoint (source position + evaluator snapshot) in one transaction, and only then acknowledges
 * the source — so a crash at any point resumes with no alert lost and none duplicated.
 */
import type { SettlementLine } from '../domain/index.js';

/**
 * The shape of an alert the monitor needs from the audit engine's stream evaluator (structurally the
 * audit `Alert`: a violation plus the line that triggered it).
 */
export interface StreamAlert {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly type?: string;
  readonly resultType: string;
  readonly action: string;
  readonly encounterId: string;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  readonly lineIds: readonly string[];
  readonly amountFen: number;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** stable de-duplication key from the evaluator, when it provides one */
  readonly alertKey?: string;
  readonly triggerLineId?: string;
}

/**
 * The incremental evaluator contract (`createStreamEvaluator(plan)` in src/audit): push one line with
 * its context, get the alerts it completes; snapshot/restore its windowed state as JSON-able data.
 * Must be deterministic: the same lines from the same snapshot yield the same alerts.
 */
export interface StreamEvaluatorLike<C> {
  push(line: SettlementLine, ctx: C): StreamAlert[];
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/** One record read from a source: a parsed line or a rejected input, at a position. */
export type SourceRecord =
  | { readonly kind: 'line'; readonly position: string; readonly line: SettlementLine; readonly receivedAtMs: number; readonly publishedAtMs?: number }
  | { readonly kind: 'reject'; readonly position: string; readonly raw: string; readonly reason: string; readonly receivedAtMs: number };

/**
 * A source of settlement lines in arrival order. `read(from)` yields batches of records strictly after
 * position `from` (null = from the beginning) until it is idle for `idleExitMs` (when set) or the
 * signal aborts. While idle it yields empty batches now and then (heartbeats) so the monitor can write
 * a due checkpoint. `ack(records)` is called after the records' effects are committed.
 */
export interface LineSource {
  readonly name: 'file' | 'store' | 'nats';
  /** human-readable description (path, subject) for logs */
  readonly description: string;
  read(from: string | null, signal: AbortSignal): AsyncIterable<SourceRecord[]>;
  ack(records: readonly SourceRecord[]): Promise<void>;
  /** compare two positions of this source (negative when a < b) */
  compare(a: string, b: string): number;
  close(): Promise<void>;
}

/**
 * A persisted alert (table monitor_alerts): the evaluator's alert with `type` and `triggerLineId`
 * always filled in (empty when absent), plus where and when the monitor saw it.
 */
export interface MonitorAlert extends Omit<StreamAlert, 'type' | 'alertKey' | 'triggerLineId'> {
  /** deterministic id: the same alert from a replay gets the same id (idempotent write) */
  readonly alertId: string;
  readonly consumerId: string;
  readonly type: string;
  readonly triggerLineId: string;
  /** chargedAt of the triggering line */
  readonly lineChargedAt: string;
  /** source position of the triggering line */
  readonly sourcePosition: string;
  /** wall-clock time the monitor emitted the alert (ISO) — the only non-deterministic field */
  readonly detectedAt: string;
}

export interface Checkpoint {
  readonly consumerId: string;
  readonly source: string;
  readonly position: string;
  readonly linesProcessed: number;
  readonly alertsEmitted: number;
  readonly rejected: number;
  readonly snapshot: unknown;
  readonly updatedAt: string;
}
