/**
 * NATS JetStream integration: publisher de-duplication and the SIGKILL restart test over a durable
 * consumer. Needs NATS at $NATS_URL (default 127.0.0.1:4222). When NATS is unreachable the suite is
 * skipped locally, but FAILS when MEDFUND_REQUIRE_SERVICES=1 (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore, openStore, type Store } from '../store/index.js';
import { runMonitor } from './monitor.js';
import { listMonitorAlerts, loadCheckpoint } from './sink.js';
import { createFileSource } from './sources/file.js';
import { connectNats, publishLinesFile } from './sources/nats.js';
import { createToyEvaluator, toCsvRow, toyLines, TOY_CSV_HEADER } from './testing/toy-evaluator.js';
import { sleep, startMonitorChild, waitCommits } from './testing/child.js';
import type { MonitorAlert } from './types.js';

const SERVER = process.env.NATS_URL ?? '127.0.0.1:4222';
const required = process.env.MEDFUND_REQUIRE_SERVICES === '1';

async function natsReachable(): Promise<string | undefined> {
  try {
    const nc = await connectNats(SERVER);
    const jsm = await nc.jetstreamManager();
    await jsm.getAccountInfo();
    await nc.close();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
const unreachable = await natsReachable();
if (unreachable && required) {
  // CI: a missing service is a failure, not a skip
  describe('NATS JetStream (required)', () => {
    it('is reachable', () => {
      throw new Error(`MEDFUND_REQUIRE_SERVICES=1 but NATS JetStream is not usable at ${SERVER}: ${unreachable}`);
    });
  });
}

const tag = `T${process.pid}X${Date.now().toString(36)}`.toUpperCase();
const STREAM = `MFTEST_${tag}`;
const SUBJECT = `mftest.${tag.toLowerCase()}.lines`;
// enough lines that both kills land mid-stream even on a quiet, fast machine
const LINES = toyLines(20000, 11);
let dir = '';
let file = '';
const stores: Store[] = [];
/** the deterministic part of an alert, without the source position (file offsets ≠ stream sequences) */
const key = (a: MonitorAlert): string => `${a.alertId} ${a.ruleId} ${a.lineIds.join(',')} ${a.amountFen} ${a.triggerLineId}`;

describe.skipIf(unreachable !== undefined)('NATS JetStream source', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'medfund-nats-'));
    file = join(dir, 'settlement-lines.csv');
    writeFileSync(file, `${TOY_CSV_HEADER}\n${LINES.map((l) => `${toCsvRow(l)}\n`).join('')}`);
  });
  afterAll(async () => {
    for (const s of stores.splice(0)) await s.close();
    const nc = await connectNats(SERVER);
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(STREAM).catch(() => undefined);
    await nc.drain();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes one message per line and de-duplicates a re-publish by line id', async () => {
    const first = await publishLinesFile({ servers: SERVER, stream: STREAM, subject: SUBJECT, file });
    expect(first).toMatchObject({ published: LINES.length, duplicates: 0, firstSeq: 1, lastSeq: LINES.length });
    const again = await publishLinesFile({ servers: SERVER, stream: STREAM, subject: SUBJECT, file, limit: 100 });
    expect(again.duplicates).toBe(100);
    const nc = await connectNats(SERVER);
    const info = await (await nc.jetstreamManager()).streams.info(STREAM);
    await nc.drain();
    expect(info.state.messages).toBe(LINES.length);
  });

  it('SIGKILL mid-stream and restart over a durable consumer: no alert lost, none duplicated', async () => {
    // reference: one uninterrupted run over the same lines from the file
    const ref = await openMemoryStore();
    stores.push(ref);
    await runMonitor({ store: ref, source: createFileSource({ path: file, idleExitMs: 0 }), evaluator: createToyEvaluator(), context: () => undefined, consumerId: 'restart-test' });
    const expected = (await listMonitorAlerts(ref)).map(key);
    expect(expected.length).toBeGreaterThan(30);

    const db = join(dir, 'monitor.duckdb');
    const source = `nats:${SERVER}:${STREAM}:${SUBJECT}:medfund-test`;
    const stdoutIds: string[] = [];
    const positions: number[] = [];
    for (const commits of [2, 3]) {
      const c = startMonitorChild(source, db, 60_000, stdoutIds, 100);
      await c.ready;
      await waitCommits(c, commits);
      await sleep(30); // between checkpoints
      c.child.kill('SIGKILL');
      await c.exited;
      const s = await openStore({ db });
      positions.push(Number((await loadCheckpoint(s, 'restart-test'))?.position ?? 0));
      await s.close();
      await sleep(50);
    }
    // both kills left the stream unfinished, and the second run made progress from the first's checkpoint
    expect(positions[0]!).toBeGreaterThan(0);
    expect(positions[1]!).toBeGreaterThan(positions[0]!);
    expect(positions[1]!).toBeLessThan(LINES.length);
    const last = startMonitorChild(source, db, 1_000, stdoutIds);
    expect(await last.exited).toBe(0);

    const store = await openStore({ db });
    stores.push(store);
    expect((await listMonitorAlerts(store)).map(key)).toEqual(expected);
    const cp = await loadCheckpoint(store, 'restart-test');
    expect(cp).toMatchObject({ position: String(LINES.length), linesProcessed: LINES.length, alertsEmitted: expected.length });
    expect(new Set(stdoutIds)).toEqual(new Set(expected.map((k) => k.split(' ')[0])));
    // every message was acknowledged: nothing pending on the durable
    const nc = await connectNats(SERVER);
    const ci = await (await nc.jetstreamManager()).consumers.info(STREAM, 'medfund-test');
    await nc.drain();
    expect(ci.num_ack_pending).toBe(0);
    expect(ci.num_pending).toBe(0);
    expect(ci.ack_floor.stream_seq).toBe(LINES.length);
  });
});
