/**
 * TEST SUPPORT ONLY — the process the restart tests kill with SIGKILL: runs the monitor with the toy
 * evaluator over a file source or a NATS source, a DuckDB file store, alerts as JSON lines on stdout.
 * Usage: node --import tsx src/monitor/testing/monitor-child.ts SOURCE DB IDLE_EXIT_MS [CHECKPOINT_MS]
 *   SOURCE = a file path, or nats:<server>:<port>:<stream>:<subject>:<durable>
 */
import { openStore } from '../../store/index.js';
import { runMonitor } from '../monitor.js';
import { createFileSource } from '../sources/file.js';
import { createNatsSource } from '../sources/nats.js';
import { createToyEvaluator } from './toy-evaluator.js';

const [src, db, idle, checkpointMs] = process.argv.slice(2);
const store = await openStore({ db: db! });
let source;
if (src!.startsWith('nats:')) {
  const [, host, port, stream, subject, durable] = src!.split(':');
  source = createNatsSource({ servers: `${host}:${port}`, stream, subject, durable, batch: 50, idleExitMs: Number(idle) });
} else {
  source = createFileSource({ path: src!, idleExitMs: Number(idle), maxBatch: 50 });
}
process.stderr.write('child: ready\n');
const summary = await runMonitor({
  store,
  source,
  evaluator: createToyEvaluator(),
  context: () => undefined,
  consumerId: 'restart-test',
  checkpointEveryMs: Number(checkpointMs ?? 150),
  onAlert: (a) => process.stdout.write(`${JSON.stringify({ alertId: a.alertId, ruleId: a.ruleId })}\n`),
  onCommit: (c) => process.stderr.write(`child: committed ${c.position}\n`),
});
await store.close();
process.stderr.write(`child: done ${JSON.stringify(summary)}\n`);
