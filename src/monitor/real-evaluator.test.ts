/**
 * The monitor with the audit engine's real stream evaluator over a small generated region: alerts
 * of injected irregularities appear, unusable rows are recorded as rejects with a reason, and a run
 * split into many resumed pieces (fresh evaluator each time, state only from the stored snapshot)
 * gives exactly the alerts of one uninterrupted run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, createStreamEvaluator, loadRuleLibrary } from '../audit/index.js';
import type { AuditPlan } from '../audit/index.js';
import { importRegion } from '../ingest/index.js';
import { openMemoryStore, type Store } from '../store/index.js';
import { writeRegion } from '../synth/index.js';
import { createEncounterContext } from './context.js';
import { runMonitor } from './monitor.js';
import { listMonitorAlerts } from './sink.js';
import { createFileSource } from './sources/file.js';

let dir = '';
let store: Store;
let plan: AuditPlan;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-monitor-real-'));
  writeRegion(dir, { hospitals: 1, inpatients: 40, outpatients: 200, years: 1, seed: 3, injectionScale: 5 });
  // two unusable rows: a non-numeric quantity, and a line of an encounter nobody admitted
  const lines = readFileSync(join(dir, 'settlement-lines.csv'), 'utf8').trim().split('\n');
  const sample = lines[1]!.split(',');
  const bad1 = [...sample];
  bad1[0] = 'LBAD1';
  bad1[8] = 'abc';
  const bad2 = [...sample];
  bad2[0] = 'LBAD2';
  bad2[1] = 'NO-SUCH-ENCOUNTER';
  appendFileSync(join(dir, 'settlement-lines.csv'), `${bad1.join(',')}\n${bad2.join(',')}\n`);
  // the feed: the same lines in charge-time order, as a live source delivers them (the region file
  // groups them by encounter) — so an inpatient stay's state spans many batches and restarts
  const at = (row: string): string => row.slice(row.lastIndexOf(',') + 1);
  const rows = lines.slice(1).sort((x, y) => (at(x) < at(y) ? -1 : at(x) > at(y) ? 1 : 0));
  writeFileSync(join(dir, 'feed.csv'), `${lines[0]}\n${rows.join('\n')}\n${bad1.join(',')}\n${bad2.join(',')}\n`);
  store = await openMemoryStore();
  await importRegion(store, dir, { pseudonymKey: 'monitor-test-key' });
  const [catalog, codeMappings, practitioners] = await Promise.all([store.listCatalog(), store.listCodeMappings(), store.listPractitioners()]);
  plan = compileRules(loadRuleLibrary(), { asOf: '2025-12-31', region: { catalog, codeMappings, practitionerTitles: new Map(practitioners.map((p) => [p.id, p.title])) } });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(consumerId: string, maxLines?: number): Promise<number> {
  const ctx = await createEncounterContext(store);
  const s = await runMonitor({
    store, consumerId, maxLines,
    source: createFileSource({ path: join(dir, 'feed.csv'), idleExitMs: 0, maxBatch: 100, resolveItemCode: ctx.resolveItemCode }),
    evaluator: createStreamEvaluator(plan),
    context: ctx.context,
    prefetch: ctx.prefetch,
  });
  return s.linesThisRun + s.rejectedThisRun;
}

describe('monitor with the real audit stream evaluator', () => {
  it('raises alerts of injected irregularities and records unusable rows with their reason', async () => {
    await run('whole');
    const alerts = await listMonitorAlerts(store, 'whole');
    expect(alerts.length).toBeGreaterThan(0);
    const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; encounterIds: string[] });
    // every alert typed as an injected irregularity is about an encounter the generator labelled with that type
    const labelled = new Set(labels.flatMap((l) => l.encounterIds.map((e) => `${l.type}|${e}`)));
    const typed = alerts.filter((a) => a.type === 'sex-restricted' || a.type === 'age-restricted' || a.type === 'over-price-cap');
    expect(typed.length, `alert types: ${[...new Set(alerts.map((a) => a.type))].join(',')}`).toBeGreaterThan(0);
    for (const a of typed) expect(labelled.has(`${a.type}|${a.encounterId}`)).toBe(true);
    for (const a of alerts) expect(a.message.length).toBeGreaterThan(0);
    const rejects = await store.query(`SELECT reason FROM monitor_rejects WHERE consumer_id = 'whole'`);
    const reasons = rejects.map((r) => String(r.reason));
    expect(reasons).toContain('column quantity: "abc" is not a number');
    expect(reasons.some((r) => r.startsWith('encounter NO-SUCH-ENCOUNTER of line LBAD2 is not in the store'))).toBe(true);
  });

  it('resumed in pieces (state only from the stored snapshot) it gives the same alerts as one run', async () => {
    let pieces = 0;
    while ((await run('pieces', 100)) > 0) pieces++;
    expect(pieces).toBeGreaterThan(30);
    const strip = (xs: Awaited<ReturnType<typeof listMonitorAlerts>>): string[] =>
      xs.map((a) => `${a.ruleId} ${a.encounterId} ${a.lineIds.join(',')} ${a.amountFen} ${a.sourcePosition}`).sort();
    expect(strip(await listMonitorAlerts(store, 'pieces'))).toEqual(strip(await listMonitorAlerts(store, 'whole')));
  });
});
