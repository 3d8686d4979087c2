/**
 * Real-time monitor benchmark (事中监控): generates a small region, imports it into a temporary DuckDB
 * file, then measures with the full rule library and the audit engine's stream evaluator
 *   1. replay throughput: the region's settlement-lines.csv through the file source (lines/s);
 *   2. alert latency: lines published to NATS JetStream at a fixed rate while the monitor follows
 *      the subject (publish → committed alert p50/p99, and arrival → committed alert).
 * Run: node --import tsx bench/monitor.bench.ts [--rate 200] [--seconds 15] [--outpatients 3000]
 * Prints the measured figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileRules, createStreamEvaluator, loadRuleLibrary } from '../src/audit/index.js';
import { importRegion } from '../src/ingest/index.js';
import { connectNats, createEncounterContext, createFileSource, createNatsSource, publishLinesFile, runMonitor } from '../src/monitor/index.js';
import { openStore } from '../src/store/index.js';
import { writeRegion } from '../src/synth/index.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '15' }, outpatients: { type: 'string', default: '3000' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const dir = mkdtempSync(join(tmpdir(), 'medfund-bench-monitor-'));
try {
  const tg = performance.now();
  writeRegion(join(dir, 'region'), { hospitals: 2, inpatients: Math.round(Number(values.outpatients) / 8), outpatients: Number(values.outpatients), years: 1, seed: 42 });
  const store = await openStore({ db: join(dir, 'bench.duckdb') });
  console.error(`(setup: region generated in ${Math.round(performance.now() - tg)} ms)`);
  const ti = performance.now();
  await importRegion(store, join(dir, 'region'), { pseudonymKey: 'bench-key' });
  console.error(`(setup: imported in ${Math.round(performance.now() - ti)} ms)`);
  const [catalog, codeMappings, practitioners] = await Promise.all([store.listCatalog(), store.listCodeMappings(), store.listPractitioners()]);
  const plan = compileRules(loadRuleLibrary(), { asOf: '2025-12-31', region: { catalog, codeMappings, practitionerTitles: new Map(practitioners.map((p) => [p.id, p.title])) } });
  const file = join(dir, 'region', 'settlement-lines.csv');

  // 1. replay throughput
  let ctx = await createEncounterContext(store);
  const t0 = performance.now();
  const replay = await runMonitor({
    store, consumerId: 'bench-replay', context: ctx.context, prefetch: ctx.prefetch,
    source: createFileSource({ path: file, idleExitMs: 0, resolveItemCode: ctx.resolveItemCode }),
    evaluator: createStreamEvaluator(plan),
  });
  const replayMs = performance.now() - t0;
  console.log(
    `monitor replay (file source, full library): ${replay.linesThisRun} lines, ${replay.alertsThisRun} alerts in ${(replayMs / 1000).toFixed(2)} s → ${Math.round(replay.linesThisRun / (replayMs / 1000)).toLocaleString('en-US')} lines/s`,
  );

  // 2. latency over NATS at a fixed rate
  let natsOk = true;
  try {
    await (await connectNats(process.env.NATS_URL ?? '127.0.0.1:4222')).close();
  } catch {
    natsOk = false;
  }
  if (!natsOk) {
    console.log('monitor latency: skipped (NATS unreachable)');
  } else {
    const tag = `BENCH${Date.now().toString(36).toUpperCase()}`;
    const stream = `MF_${tag}`;
    const subject = `mfbench.${tag.toLowerCase()}`;
    ctx = await createEncounterContext(store);
    const limit = Math.round(rate * seconds);
    const controller = new AbortController();
    const monitor = runMonitor({
      store, consumerId: 'bench-nats', context: ctx.context, prefetch: ctx.prefetch, signal: controller.signal,
      source: createNatsSource({ stream, subject, durable: 'bench', resolveItemCode: ctx.resolveItemCode }),
      evaluator: createStreamEvaluator(plan),
    });
    const pub = await publishLinesFile({ stream, subject, file, rate, limit });
    // let the monitor drain, then stop it
    const deadline = Date.now() + 60_000;
    for (;;) {
      const cp = (await store.query(`SELECT position FROM monitor_checkpoints WHERE consumer_id = 'bench-nats'`))[0];
      if ((cp && Number(cp.position) >= pub.lastSeq) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    controller.abort();
    const s = await monitor;
    console.log(
      `monitor latency (NATS at ${rate} lines/s for ${seconds} s, full library): ${s.linesThisRun} lines, ${s.alertsThisRun} alerts; ` +
        `publish→alert p50 ${s.endToEndMs.p50} ms, p99 ${s.endToEndMs.p99} ms, max ${s.endToEndMs.max} ms; ` +
        `arrival→alert p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms`,
    );
    const nc = await connectNats(process.env.NATS_URL ?? '127.0.0.1:4222');
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
