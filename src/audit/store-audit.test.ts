/**
 * End to end through the Store interface: a small generated region is written, imported into an
 * in-memory DuckDB store, audited with the full library and scored against its own labels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS_FILE } from '../domain/index.js';
import { importRegion } from '../ingest/index.js';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { writeRegion } from '../synth/index.js';
import { loadRuleLibrary, scoreFindings } from './index.js';
import { auditStore, compileForStore, readLabels, saveViolations, violationId } from './store-audit.js';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-audit-'));
  writeRegion(dir, { hospitals: 1, inpatients: 300, outpatients: 1500, years: 1, seed: 11 });
  store = await openMemoryStore();
  await importRegion(store, dir, { pseudonymKey: 'audit-test-key' });
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('auditStore', () => {
  it('detects every injected irregularity type from the data alone (precision and recall ≥ 0.95)', async () => {
    const plan = await compileForStore(store, loadRuleLibrary(), '2026-11-23');
    const r = await auditStore(store, plan);
    expect(r.lines).toBeGreaterThan(0);
    const labels = readLabels(join(dir, LABELS_FILE));
    const scores = scoreFindings(r.violations, labels);
    for (const s of scores) {
      expect(s.precision, `${s.type} precision, false positives ${s.falsePositiveEncounters.join(',')}`).toBeGreaterThanOrEqual(0.95);
      expect(s.recall, `${s.type} recall, missed ${JSON.stringify(s.missedLabels)}`).toBeGreaterThanOrEqual(0.95);
    }
    // stored with deterministic ids: a re-run replaces, never duplicates
    const run = { runId: 'r1', mode: 'post', libraryVersion: plan.libraryVersion, asOf: '2026-11-23', startedAt: 'x', finishedAt: 'y', encounters: r.encounters, lines: r.lines };
    await saveViolations(store, run, r.violations);
    await saveViolations(store, { ...run, runId: 'r2' }, r.violations);
    const [row] = await store.query<{ n: number; a: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS a FROM violations');
    expect(row!.n).toBe(r.violations.length);
    expect(row!.a).toBe(r.violations.reduce((s, v) => s + v.amountFen, 0));
    const ids = new Set(r.violations.map(violationId));
    expect(ids.size).toBe(r.violations.length);
  }, 60_000);

  it('gives the same violations, in the same order, with worker threads', async () => {
    const plan = await compileForStore(store, loadRuleLibrary(), '2026-11-23');
    const one = await auditStore(store, plan);
    const two = await auditStore(store, plan, undefined, { workers: 2 });
    expect(two.encounters).toBe(one.encounters);
    expect(two.lines).toBe(one.lines);
    expect(two.violations.length).toBeGreaterThan(0);
    const key = (v: { ruleId: string; encounterId: string }): string => `${v.ruleId}|${v.encounterId}`;
    const sorted = <T extends { ruleId: string; encounterId: string }>(vs: T[]): T[] => [...vs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(two.violations)).toEqual(sorted(one.violations));
    // encounter-level violations come back in the single-threaded order
    const cross = new Set(['split-admission', 'readmission', 'frequent-visits', 'doctor-high-frequency', 'peer-cost-outlier', 'cost-shifting', 'item-period-frequency', 'drug-second-line']);
    expect(two.violations.filter((v) => !cross.has(v.kind))).toEqual(one.violations.filter((v) => !cross.has(v.kind)));
    expect(two.violations.map(violationId).sort()).toEqual(one.violations.map(violationId).sort());
  }, 60_000);
});
