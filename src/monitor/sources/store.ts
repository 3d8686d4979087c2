/**
 * Store source: follows the `settlement_lines` table in arrival order (chargedAt, id) by keyset
 * pagination — portable SQL on DuckDB and PostgreSQL. The position is the last (chargedAt, id) seen,
 * so lines imported later with a later charge time are picked up by the next poll. (Lines imported
 * with a charge time before the position are not: the store source replays history in charge order;
 * a live feed should come through NATS or a file tail.)
 */
import type { SettlementLine } from '../../domain/index.js';
import type { Row, Store } from '../../store/index.js';
import type { LineSource, SourceRecord } from '../types.js';

export interface StoreSourceOptions {
  readonly store: Store;
  /** rows per query (default 5000) */
  readonly pageSize?: number;
  readonly pollMs?: number;
  /** stop after this long without new rows; undefined = follow forever */
  readonly idleExitMs?: number;
}

/** Position encoding: `chargedAt␟id` (unit separator cannot occur in ids or timestamps). */
const SEP = '\u001f';
export function storePosition(chargedAt: string, id: string): string {
  return `${chargedAt}${SEP}${id}`;
}
function splitPosition(p: string): [string, string] {
  const i = p.indexOf(SEP);
  if (i < 0) throw new Error(`store source: bad checkpoint position "${p}"`);
  return [p.slice(0, i), p.slice(i + 1)];
}

function toLine(r: Row): SettlementLine {
  return {
    id: String(r.id),
    encounterId: String(r.encounter_id),
    institutionId: String(r.institution_id),
    localCode: String(r.local_code),
    itemCode: String(r.item_code),
    itemName: String(r.item_name),
    category: String(r.category) as SettlementLine['category'],
    payClass: String(r.pay_class) as SettlementLine['payClass'],
    quantity: Number(r.quantity),
    unitPriceFen: Number(r.unit_price_fen),
    amountFen: Number(r.amount_fen),
    doctorId: String(r.doctor_id),
    departmentId: String(r.department_id),
    chargedAt: String(r.charged_at),
  };
}

export function createStoreSource(opts: StoreSourceOptions): LineSource {
  const pageSize = opts.pageSize ?? 5000;
  const pollMs = opts.pollMs ?? 500;
  const COLS = `id, encounter_id, institution_id, local_code, item_code, item_name, category, pay_class, quantity,
    unit_price_fen, amount_fen, doctor_id, department_id, charged_at`;
  return {
    name: 'store',
    description: `${opts.store.dialect} ${opts.store.location} table settlement_lines`,
    compare(a, b) {
      const [ta, ia] = splitPosition(a);
      const [tb, ib] = splitPosition(b);
      return ta < tb ? -1 : ta > tb ? 1 : ia < ib ? -1 : ia > ib ? 1 : 0;
    },
    async *read(from, signal) {
      let pos = from === null ? null : splitPosition(from);
      let idleSince = Date.now();
      while (!signal.aborted) {
        const rows = pos
          ? await opts.store.query(
              `SELECT ${COLS} FROM settlement_lines WHERE charged_at > $1 OR (charged_at = $1 AND id > $2) ORDER BY charged_at, id LIMIT ${pageSize}`,
              pos,
            )
          : await opts.store.query(`SELECT ${COLS} FROM settlement_lines ORDER BY charged_at, id LIMIT ${pageSize}`);
        if (rows.length === 0) {
          if (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs) return;
          await new Promise((r) => setTimeout(r, pollMs));
          yield []; // idle heartbeat: lets the monitor checkpoint on time
          continue;
        }
        const now = Date.now();
        const batch: SourceRecord[] = rows.map((r) => {
          const line = toLine(r);
          return { kind: 'line', position: storePosition(line.chargedAt, line.id), line, receivedAtMs: now };
        });
        const last = (batch[batch.length - 1] as Extract<SourceRecord, { kind: 'line' }>).line;
        pos = [last.chargedAt, last.id];
        idleSince = Date.now();
        yield batch;
      }
    },
    async ack() {
      // the checkpoint is the position; nothing to acknowledge upstream
    },
    async close() {
      // the store belongs to the caller
    },
  };
}
