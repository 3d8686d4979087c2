/**
 * TEST SUPPORT ONLY — the process the restart test kills with SIGKILL: runs the monitor over a file
 * source with the toy evaluator, a DuckDB file store, alerts as JSON lines on stdout.
 * Usage: node --import tsx src/monitor/testing/monitor-child.ts FILE DB IDLE_EXIT_MS
 */
import { openStore } from '../../store/index.js';
import { runMonitor } from '../monitor.js';
import { createFileSource } from '../sources/file.js';
import { createToyEvaluator } from './toy-evaluator.js';

const [file, db, idle] = process.argv.slice(2);
const store = await openStore({ db: db! });
process.stderr.write('child: ready\n');
const summary = await runMonitor({
  store,
  source: createFileSource({ path: file!, idleExitMs: Number(idle), maxBatch: 50 }),
  evaluator: createToyEvaluator(),
  context: () => undefined,
  consumerId: 'restart-test',
  onAlert: (a) => process.stdout.write(`${JSON.stringify({ alertId: a.alertId, ruleId: a.ruleId })}\n`),
  onCommit: (c) => process.stderr.write(`child: committed ${c.position}\n`),
});
await store.close();
process.stderr.write(`child: done ${JSON.stringify(summary)}\n`);
