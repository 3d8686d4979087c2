import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import type { SettlementLine } from '../../domain/index.js';
import { runMonitor } from '../monitor.js';
import { listMonitorAlerts, loadCheckpoint } from '../sink.js';
import { createToyEvaluator, toyLines } from '../testing/toy-evaluator.js';
import { createStoreSource } from './store.js';

const COLS = ['id', 'encounter_id', 'institution_id', 'local_code', 'item_code', 'item_id', 'item_name', 'category', 'pay_class', 'quantity',
  'unit_price_fen', 'amount_fen', 'doctor_id', 'department_id', 'charged_at', 'batch_id', 'source_file', 'source_row'];
async function insert(store: Store, lines: readonly SettlementLine[]): Promise<void> {
  await store.appendRows('settlement_lines', COLS, lines.map((l, i) => [l.id, l.encounterId, l.institutionId, l.localCode, l.itemCode, 0, l.itemName,
    l.category, l.payClass, l.quantity, l.unitPriceFen, l.amountFen, l.doctorId, l.departmentId, l.chargedAt, 'b', 'f', i + 1]));
}
const LINES = toyLines(900, 5);
/** Store source + monitor persistence suite, run on DuckDB (store.test.ts) and PostgreSQL (store.postgres.int.test.ts). */
export function runStoreSourceSuite(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await open());
});
afterEach(async () => {
  await cleanup();
});
const monitor = (consumerId: string, maxLines?: number) =>
  runMonitor({ store, consumerId, maxLines, source: createStoreSource({ store, pageSize: 128, idleExitMs: 0 }), evaluator: createToyEvaluator(), context: () => undefined });

describe(`store source and monitor tables (${name})`, () => {
  it('follows settlement_lines in (chargedAt, id) order, picks up later imports, and resumes from its keyset position', async () => {
    await insert(store, LINES.slice(0, 500));
    const first = await monitor('pieces', 333);
    expect(first.linesThisRun).toBe(333);
    const second = await monitor('pieces');
    expect(second.linesThisRun).toBe(167);
    await insert(store, LINES.slice(500)); // imported later, charged later
    const third = await monitor('pieces');
    expect(third.linesThisRun).toBe(400);
    expect(third.position).toBe(`${LINES[899]!.chargedAt}\u001f${LINES[899]!.id}`);
    expect((await loadCheckpoint(store, 'pieces'))?.linesProcessed).toBe(900);
    const whole = await monitor('whole');
    expect(whole.linesThisRun).toBe(900);
    const strip = (xs: Awaited<ReturnType<typeof listMonitorAlerts>>): string[] => xs.map((a) => `${a.ruleId} ${a.lineIds.join(',')} ${a.sourcePosition}`).sort();
    const got = strip(await listMonitorAlerts(store, 'pieces'));
    expect(got.length).toBeGreaterThan(20);
    expect(got).toEqual(strip(await listMonitorAlerts(store, 'whole')));
  });

  it('refuses to resume a consumer on a different source', async () => {
    await insert(store, LINES.slice(0, 10));
    await monitor('c');
    await expect(
      runMonitor({ store, consumerId: 'c', source: { ...createStoreSource({ store }), name: 'file' }, evaluator: createToyEvaluator(), context: () => undefined }),
    ).rejects.toThrow(/checkpointed on source store, not file/);
  });
});
}
