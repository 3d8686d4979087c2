/**
 * Persistence of the monitor through the {@link Store} interface (portable SQL, DuckDB and
 * PostgreSQL): alerts, rejects and the checkpoint are written in one transaction; inserts are
 * idempotent (`ON CONFLICT DO NOTHING` on deterministic keys).
 */
import { createHash } from 'node:crypto';
import type { Store, SqlValue } from '../store/index.js';
import type { Checkpoint, MonitorAlert, SourceRecord, StreamAlert } from './types.js';

/**
 * Deterministic alert id: hash of consumer, rule (id + version) and the alert's identity — the
 * evaluator's `alertKey` when it gives one, else encounter + sorted line ids. A replay of the same
 * lines from the same checkpoint produces the same ids, so re-inserting is a no-op.
 */
export function alertIdOf(consumerId: string, a: StreamAlert): string {
  const identity = a.alertKey ?? `${a.encounterId}|${[...a.lineIds].sort().join(',')}`;
  return createHash('sha256').update(`${consumerId}\u0000${a.ruleId}\u0000${a.ruleVersion}\u0000${identity}`).digest('hex').slice(0, 32);
}

const ALERT_COLUMNS = [
  'alert_id', 'consumer_id', 'rule_id', 'rule_version', 'type', 'result_type', 'action', 'encounter_id',
  'institution_id', 'department_id', 'doctor_id', 'line_ids', 'amount_fen', 'message', 'evidence',
  'trigger_line_id', 'line_charged_at', 'source_position', 'detected_at',
] as const;

function alertRow(a: MonitorAlert): SqlValue[] {
  return [
    a.alertId, a.consumerId, a.ruleId, a.ruleVersion, a.type, a.resultType, a.action, a.encounterId,
    a.institutionId, a.departmentId, a.doctorId, a.lineIds.join('|'), a.amountFen, a.message,
    JSON.stringify(a.evidence), a.triggerLineId, a.lineChargedAt, a.sourcePosition, a.detectedAt,
  ];
}

async function insertMany(tx: Store, table: string, columns: readonly string[], rows: SqlValue[][], conflict: string): Promise<void> {
  const CHUNK = 200;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const params: SqlValue[] = [];
    const tuples = part.map((r) => {
      const ph = r.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${ph.join(', ')})`;
    });
    await tx.exec(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${conflict}) DO NOTHING`, params);
  }
}

export async function loadCheckpoint(store: Store, consumerId: string): Promise<Checkpoint | undefined> {
  const rows = await store.query(`SELECT * FROM monitor_checkpoints WHERE consumer_id = $1`, [consumerId]);
  const r = rows[0];
  if (!r) return undefined;
  return {
    consumerId,
    source: String(r.source),
    position: String(r.position),
    linesProcessed: Number(r.lines_processed),
    alertsEmitted: Number(r.alerts_emitted),
    rejected: Number(r.rejected),
    snapshot: JSON.parse(String(r.evaluator_snapshot)) as unknown,
    updatedAt: String(r.updated_at),
  };
}

/** The alerts not yet stored (a replay after a crash re-derives stored ones with the same ids). */
export async function filterStored(store: Store, alerts: readonly MonitorAlert[]): Promise<MonitorAlert[]> {
  if (alerts.length === 0) return [];
  const stored = new Set<string>();
  for (let i = 0; i < alerts.length; i += 500) {
    const ids = alerts.slice(i, i + 500).map((a) => a.alertId);
    const rows = await store.query(`SELECT alert_id FROM monitor_alerts WHERE alert_id IN (${ids.map((_, k) => `$${k + 1}`).join(', ')})`, ids);
    for (const r of rows) stored.add(String(r.alert_id));
  }
  return stored.size ? alerts.filter((a) => !stored.has(a.alertId)) : [...alerts];
}

/**
 * Write one batch atomically: its new alerts (bulk append — DuckDB appender / PostgreSQL COPY; the
 * caller filtered out stored ids, and the primary key rejects any duplicate), its rejects
 * (idempotent insert) and, when given, the new checkpoint.
 */
export async function commitBatch(
  store: Store,
  consumerId: string,
  fresh: readonly MonitorAlert[],
  rejects: readonly Extract<SourceRecord, { kind: 'reject' }>[],
  checkpoint: Checkpoint | null,
): Promise<void> {
  if (fresh.length === 0 && rejects.length === 0 && checkpoint === null) return;
  await store.withTransaction(async (tx) => {
    if (fresh.length) await tx.appendRows('monitor_alerts', ALERT_COLUMNS, fresh.map(alertRow));
    if (rejects.length) {
      await insertMany(
        tx,
        'monitor_rejects',
        ['consumer_id', 'source_position', 'raw', 'reason', 'received_at'],
        rejects.map((r) => [consumerId, r.position, r.raw, r.reason, new Date(r.receivedAtMs).toISOString()]),
        'consumer_id, source_position',
      );
    }
    if (checkpoint) {
      await tx.exec(
        `INSERT INTO monitor_checkpoints (consumer_id, source, position, lines_processed, alerts_emitted, rejected, evaluator_snapshot, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (consumer_id) DO UPDATE SET source = EXCLUDED.source, position = EXCLUDED.position,
           lines_processed = EXCLUDED.lines_processed, alerts_emitted = EXCLUDED.alerts_emitted, rejected = EXCLUDED.rejected,
           evaluator_snapshot = EXCLUDED.evaluator_snapshot, updated_at = EXCLUDED.updated_at`,
        [checkpoint.consumerId, checkpoint.source, checkpoint.position, checkpoint.linesProcessed, checkpoint.alertsEmitted, checkpoint.rejected, JSON.stringify(checkpoint.snapshot ?? null), checkpoint.updatedAt],
      );
    }
  });
}

/** Drop a consumer's checkpoint, alerts and rejects (a fresh start: `medfund monitor --reset`). */
export async function resetConsumer(store: Store, consumerId: string): Promise<void> {
  await store.withTransaction(async (tx) => {
    await tx.exec(`DELETE FROM monitor_alerts WHERE consumer_id = $1`, [consumerId]);
    await tx.exec(`DELETE FROM monitor_rejects WHERE consumer_id = $1`, [consumerId]);
    await tx.exec(`DELETE FROM monitor_checkpoints WHERE consumer_id = $1`, [consumerId]);
  });
}

/** Read a consumer's stored alerts, ordered by source position then id (for reports and tests). */
export async function listMonitorAlerts(store: Store, consumerId?: string): Promise<MonitorAlert[]> {
  const rows = consumerId
    ? await store.query(`SELECT * FROM monitor_alerts WHERE consumer_id = $1 ORDER BY alert_id`, [consumerId])
    : await store.query(`SELECT * FROM monitor_alerts ORDER BY alert_id`);
  return rows.map((r) => ({
    alertId: String(r.alert_id),
    consumerId: String(r.consumer_id),
    ruleId: String(r.rule_id),
    ruleVersion: Number(r.rule_version),
    type: String(r.type),
    resultType: String(r.result_type),
    action: String(r.action),
    encounterId: String(r.encounter_id),
    institutionId: String(r.institution_id),
    departmentId: String(r.department_id),
    doctorId: String(r.doctor_id),
    lineIds: String(r.line_ids) === '' ? [] : String(r.line_ids).split('|'),
    amountFen: Number(r.amount_fen),
    message: String(r.message),
    evidence: JSON.parse(String(r.evidence)) as Record<string, unknown>,
    triggerLineId: String(r.trigger_line_id),
    lineChargedAt: String(r.line_charged_at),
    sourcePosition: String(r.source_position),
    detectedAt: String(r.detected_at),
  }));
}
