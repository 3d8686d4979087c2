import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { runMonitor } from './monitor.js';
import { listMonitorAlerts, loadCheckpoint } from './sink.js';
import { createFileSource } from './sources/file.js';
import { createToyEvaluator, toCsvRow, toyLines, TOY_CSV_HEADER } from './testing/toy-evaluator.js';
import type { MonitorAlert } from './types.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'medfund-monitor-'));
  dirs.push(d);
  return d;
}
const LINES = toyLines(2000);
const csv = (from: number, to: number): string => LINES.slice(from, to).map((l) => `${toCsvRow(l)}\n`).join('');
/** the deterministic part of an alert (detectedAt is wall clock) */
const key = (a: MonitorAlert): string => `${a.alertId} ${a.ruleId} ${a.lineIds.join(',')} ${a.amountFen} ${a.sourcePosition}`;

async function uninterrupted(file: string): Promise<string[]> {
  const store = await openMemoryStore();
  stores.push(store);
  await runMonitor({ store, source: createFileSource({ path: file, idleExitMs: 0 }), evaluator: createToyEvaluator(), context: () => undefined, consumerId: 'restart-test' });
  return (await listMonitorAlerts(store)).map(key);
}

describe('file source + monitor', () => {
  it('reads complete lines only, records bad rows as rejects with a reason, and checkpoints the byte position', async () => {
    const d = tmp();
    const file = join(d, 'lines.csv');
    writeFileSync(file, `${TOY_CSV_HEADER}\n${csv(0, 3)}L-bad,E1,I1,,X,名,drug,A,abc,1,1,P1,D1,2026-03-01T08:00:00\n${toCsvRow(LINES[3]!).slice(0, 20)}`);
    const store = await openMemoryStore();
    stores.push(store);
    const rejects: string[] = [];
    const s1 = await runMonitor({
      store, source: createFileSource({ path: file, idleExitMs: 100 }), evaluator: createToyEvaluator(), context: () => undefined, consumerId: 'c',
      onReject: (r) => rejects.push(r.reason),
    });
    expect(s1.linesThisRun).toBe(3);
    expect(rejects).toEqual(['column quantity: "abc" is not a number']);
    // the writer finishes the partial line: the next run reads exactly it
    appendFileSync(file, `${toCsvRow(LINES[3]!).slice(20)}\n`);
    const s2 = await runMonitor({ store, source: createFileSource({ path: file, idleExitMs: 100 }), evaluator: createToyEvaluator(), context: () => undefined, consumerId: 'c' });
    expect(s2.linesThisRun).toBe(1);
    expect(s2.linesTotal).toBe(4);
    expect((await loadCheckpoint(store, 'c'))?.rejected).toBe(1);
    expect((await store.query(`SELECT reason FROM monitor_rejects`)).length).toBe(1);
  });

  it('resuming in many small runs gives exactly the alerts of one uninterrupted run', async () => {
    const d = tmp();
    const file = join(d, 'lines.csv');
    writeFileSync(file, `${TOY_CSV_HEADER}\n${csv(0, LINES.length)}`);
    const expected = await uninterrupted(file);
    expect(expected.length).toBeGreaterThan(50);
    const store = await openMemoryStore();
    stores.push(store);
    let runs = 0;
    for (;;) {
      runs++;
      // a fresh evaluator each run: all window state must come back from the snapshot
      const s = await runMonitor({
        store, source: createFileSource({ path: file, idleExitMs: 0, maxBatch: 97 }), evaluator: createToyEvaluator(), context: () => undefined,
        consumerId: 'restart-test', maxLines: 150,
      });
      if (s.linesThisRun === 0) break;
    }
    expect(runs).toBeGreaterThan(12);
    expect((await listMonitorAlerts(store)).map(key)).toEqual(expected);
  });
  // The SIGKILL restart tests: cli-restart.test.ts (file source, real CLI and rule library) and
  // nats.int.test.ts (JetStream durable consumer, toy evaluator in a child process).
});
