/**
 * The acceptance test of restart safety, end to end: `medfund monitor --source file` (the real CLI,
 * the real rule library and stream evaluator) follows a growing settlement-lines file, is killed with
 * SIGKILL twice while lines are still arriving, and is restarted; its alerts must equal those of one
 * uninterrupted run — none lost, none duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, createStreamEvaluator, loadRuleLibrary } from '../audit/index.js';
import { importRegion } from '../ingest/index.js';
import { openStore } from '../store/index.js';
import { writeRegion } from '../synth/index.js';
import { createEncounterContext } from './context.js';
import { runMonitor } from './monitor.js';
import { listMonitorAlerts, loadCheckpoint } from './sink.js';
import { createFileSource } from './sources/file.js';
import type { MonitorAlert } from './types.js';

const AS_OF = '2025-12-31';
let dir = '';
let db = '';
let feed = '';
let header = '';
let rows: string[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-monitor-cli-'));
  // more injected irregularities than the default, so a short stream carries enough alerts
  writeRegion(join(dir, 'region'), { hospitals: 1, inpatients: 40, outpatients: 200, years: 1, seed: 9, injectionScale: 5, badRowScale: 0 });
  db = join(dir, 'medfund.duckdb');
  const store = await openStore({ db });
  await importRegion(store, join(dir, 'region'), { pseudonymKey: 'cli-restart-key' });
  await store.close();
  [header, ...rows] = readFileSync(join(dir, 'region', 'settlement-lines.csv'), 'utf8').trim().split('\n') as [string, ...string[]];
  // a live feed delivers lines in charge-time order, interleaving encounters (the file groups them
  // by encounter): windowed state then spans restarts, which is what this test must exercise
  const chargedAt = (row: string): string => row.slice(row.lastIndexOf(',') + 1);
  rows.sort((a, b) => (chargedAt(a) < chargedAt(b) ? -1 : chargedAt(a) > chargedAt(b) ? 1 : 0));
  feed = join(dir, 'feed.csv');
  writeFileSync(feed, `${header}\n`);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Cli {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  checkpoints(): number;
}
function startCli(extra: string[], stdoutIds: string[]): Cli {
  const child = spawn(
    process.execPath,
    ['bin/medfund.js', 'monitor', '--source', 'file', '--file', feed, '--db', db, '--consumer', 'kill', '--as-of', AS_OF, '--verbose', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const p of parts) if (p) stdoutIds.push((JSON.parse(p) as { alertId: string }).alertId);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`medfund monitor exited (${code}) before it started: ${err}`)));
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes('monitor started')) resolve();
    });
  });
  ready.catch(() => undefined);
  return { child, ready, exited, checkpoints: () => (err.match(/checkpoint: position/g) ?? []).length };
}

/** rule, encounter, lines, amount, position: the deterministic content of an alert */
const content = (a: MonitorAlert): string => `${a.ruleId} ${a.encounterId} ${a.lineIds.join(',')} ${a.amountFen} ${a.sourcePosition}`;

describe('medfund monitor (real CLI, real rule library)', () => {
  it('SIGKILL twice mid-stream and restart: no alert lost, none duplicated', async () => {
    let written = 0;
    let limit = Math.floor(rows.length / 3);
    const writer = (async () => {
      while (written < rows.length) {
        if (written >= limit) {
          await sleep(5);
          continue;
        }
        const to = Math.min(written + 40, limit);
        appendFileSync(feed, `${rows.slice(written, to).join('\n')}\n`);
        written = to;
        await sleep(15);
      }
    })();
    const stdoutIds: string[] = [];
    const progress: number[] = [];
    for (const nextLimit of [Math.floor((2 * rows.length) / 3), rows.length]) {
      const cli = startCli([], stdoutIds);
      await cli.ready;
      // let it checkpoint at least once on the lines arriving now (every second), then kill it
      const deadline = Date.now() + 60_000;
      while (cli.checkpoints() < 1 || written < limit) {
        if (Date.now() > deadline || cli.child.exitCode !== null) throw new Error('medfund monitor made no checkpoint');
        await sleep(20);
      }
      await sleep(300); // between checkpoints
      cli.child.kill('SIGKILL');
      await cli.exited;
      const s = await openStore({ db });
      progress.push((await loadCheckpoint(s, 'kill'))?.linesProcessed ?? 0);
      await s.close();
      limit = nextLimit;
    }
    await writer;
    expect(progress[0]!).toBeGreaterThan(0); // the first run committed a checkpoint before it was killed
    expect(progress[1]!).toBeGreaterThan(progress[0]!); // the second resumed and advanced
    expect(progress[1]!).toBeLessThan(rows.length); // … and was killed before the end of the stream
    const last = startCli(['--idle-exit', '1500'], stdoutIds);
    expect(await last.exited).toBe(0);

    const store = await openStore({ db });
    try {
      const got = await listMonitorAlerts(store, 'kill');
      // reference: one uninterrupted in-process run over the complete file, same library and date
      const [catalog, codeMappings, practitioners] = await Promise.all([store.listCatalog(), store.listCodeMappings(), store.listPractitioners()]);
      const plan = compileRules(loadRuleLibrary(), { asOf: AS_OF, region: { catalog, codeMappings, practitionerTitles: new Map(practitioners.map((p) => [p.id, p.title])) } });
      const ctx = await createEncounterContext(store);
      await runMonitor({
        store, consumerId: 'reference', context: ctx.context, prefetch: ctx.prefetch,
        source: createFileSource({ path: feed, idleExitMs: 0, resolveItemCode: ctx.resolveItemCode }),
        evaluator: createStreamEvaluator(plan),
      });
      const expected = await listMonitorAlerts(store, 'reference');
      expect(expected.length).toBeGreaterThan(10);
      expect(got.map(content).sort()).toEqual(expected.map(content).sort());
      expect(new Set(got.map((a) => a.alertId)).size).toBe(got.length);
      const cp = await loadCheckpoint(store, 'kill');
      expect(cp?.linesProcessed).toBe(rows.length);
      expect(cp?.alertsEmitted).toBe(got.length);
      // stdout (at-least-once): every stored alert was printed, nothing else was
      expect(new Set(stdoutIds)).toEqual(new Set(got.map((a) => a.alertId)));
    } finally {
      await store.close();
    }
  });
});
