import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { AuditLog, verifyAuditLog, type AuditEntryInput } from './audit-log.js';
import { deriveKeys } from './crypto.js';

const keys = deriveKeys(Buffer.alloc(32, 3));
const clock = () => new Date('2025-05-01T00:00:00Z');
const entry = (i: number): AuditEntryInput => ({
  actor: `user${i % 3}`, role: 'bureau-auditor', institutionId: i % 2 ? 'H1' : 'H2', action: 'read',
  resource: 'encounter', resourceId: `E${i}`, outcome: 'ok', detail: { n: i },
});

let store: Store;
let log: AuditLog;
beforeEach(async () => {
  store = await openMemoryStore();
  log = new AuditLog(store, keys.auditKey, clock);
  // concurrent appends exercise the group commit
  await Promise.all(Array.from({ length: 25 }, (_, i) => log.append(entry(i + 1))));
});
afterEach(async () => store.close());

describe('tamper-evident audit log', () => {
  it('verifies an untouched log and numbers entries without gaps', async () => {
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r).toMatchObject({ ok: true, entries: 25, lastSeq: 25, problems: [] });
    const seqs = (await store.query(`SELECT seq FROM audit_log ORDER BY seq`)).map((x) => Number(x.seq));
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('detects an edited field', async () => {
    await store.exec(`UPDATE audit_log SET resource_id = 'E999' WHERE seq = 7`);
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ seq: 7, code: 'hash-mismatch' }));
  });

  it('detects an edit whose hash was recomputed without the key (plain SHA-256)', async () => {
    const { createHash } = await import('node:crypto');
    const fake = createHash('sha256').update('forged').digest('hex');
    await store.exec(`UPDATE audit_log SET actor = 'someone', hash = $1 WHERE seq = 3`, [fake]);
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['hash-mismatch', 'prev-hash-mismatch']));
  });

  it('detects a deleted entry in the middle', async () => {
    await store.exec(`DELETE FROM audit_log WHERE seq = 12`);
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r.problems).toContainEqual(expect.objectContaining({ seq: 13, code: 'seq-gap' }));
    expect(r.problems).toContainEqual(expect.objectContaining({ seq: 13, code: 'prev-hash-mismatch' }));
  });

  it('detects deletion of the newest entries through the keyed head', async () => {
    await store.exec(`DELETE FROM audit_log WHERE seq > 22`);
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ code: 'head-mismatch' }));
  });

  it('detects a rewritten head and a deleted head', async () => {
    await store.exec(`DELETE FROM audit_log WHERE seq > 22`);
    const [last] = await store.query(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    await store.exec(`UPDATE audit_log_head SET seq = $1, hash = $2`, [Number(last!.seq), String(last!.hash)]);
    expect((await verifyAuditLog(store, keys.auditKey)).problems).toContainEqual(expect.objectContaining({ code: 'head-mac-invalid' }));
    await store.exec(`DELETE FROM audit_log_head`);
    expect((await verifyAuditLog(store, keys.auditKey)).problems).toContainEqual(expect.objectContaining({ code: 'head-missing' }));
  });

  it('fails verification under a different key', async () => {
    const other = deriveKeys(Buffer.alloc(32, 4));
    expect((await verifyAuditLog(store, other.auditKey)).ok).toBe(false);
  });

  it('keeps extending one chain after reopening the writer', async () => {
    const again = new AuditLog(store, keys.auditKey, clock);
    await again.append(entry(100));
    const r = await verifyAuditLog(store, keys.auditKey, { pageSize: 7 });
    expect(r).toMatchObject({ ok: true, entries: 26, lastSeq: 26 });
  });
});

describe('stored text', () => {
  it('stores awkward text exactly as hashed (quotes, backslashes, NUL, statement separators, non-ASCII)', async () => {
    const nasty = [`O'Brien''s`, 'a\\b\\\'c', "'); DELETE FROM audit_log; --", '$1 $$ ?', '行\n列\r\t😀', '', 'x\0y\0'];
    // two batches: on DuckDB the first travels as a literal INSERT, the one with a NUL through the appender
    for (const [i, text] of nasty.entries()) {
      if (text.includes('\0')) await log.flush();
      log.record({ ...entry(26 + i), actor: text, resourceId: text, detail: { note: text } });
    }
    await log.flush();
    expect(await verifyAuditLog(store, keys.auditKey)).toMatchObject({ ok: true, entries: 25 + nasty.length });
    const rows = await store.query(`SELECT actor, resource_id, detail FROM audit_log WHERE seq > 25 ORDER BY seq`);
    expect(rows.map((r) => r.actor)).toEqual(nasty);
    expect(rows.map((r) => r.resource_id)).toEqual(nasty);
    expect(rows.map((r) => JSON.parse(String(r.detail)).note)).toEqual(nasty);
  });
});

describe('deferred entries (record)', () => {
  it('chains recorded and appended entries in call order, writes recorded ones within deferMs, and flush writes the rest', async () => {
    const quick = new AuditLog(store, keys.auditKey, clock, 5);
    quick.record(entry(26));
    const durable = quick.append(entry(27)); // a waiting append writes the recorded entry before it too
    quick.record(entry(28));
    await durable;
    await new Promise((r) => setTimeout(r, 60)); // entry 28 goes out with the next timed batch, no flush needed
    expect((await store.query(`SELECT resource_id FROM audit_log WHERE seq > 25 ORDER BY seq`)).map((x) => x.resource_id)).toEqual(['E26', 'E27', 'E28']);
    for (let i = 29; i <= 40; i++) quick.record(entry(i));
    await quick.flush();
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r).toMatchObject({ ok: true, entries: 40, lastSeq: 40 });
  });

  it('writes a backlog of 1,275 queued entries in one flush', async () => {
    for (let i = 26; i <= 1300; i++) log.record(entry(i));
    await log.flush();
    expect(await verifyAuditLog(store, keys.auditKey)).toMatchObject({ ok: true, entries: 1300, lastSeq: 1300 });
  });

  it('writes a batch and its head atomically: a failed head update leaves no entry behind, and the retry chains on', async () => {
    await store.exec(`ALTER TABLE audit_log_head RENAME TO audit_log_head_aside`);
    const spy = (await import('vitest')).vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    log.record(entry(26));
    log.record(entry(27));
    await expect(log.flush()).rejects.toThrow(/failed/);
    spy.mockRestore();
    expect((await store.query(`SELECT COUNT(*) AS n FROM audit_log`))[0]!.n).toBe(25);
    await store.exec(`ALTER TABLE audit_log_head_aside RENAME TO audit_log_head`);
    await log.flush();
    expect(await verifyAuditLog(store, keys.auditKey)).toMatchObject({ ok: true, entries: 27, lastSeq: 27 });
  });

  it('keeps recorded entries queued when a write fails and writes them once the store works again', async () => {
    const failing = { ...store, withTransaction: async () => { throw new Error('disk full'); } } as unknown as Store;
    const spy = (await import('vitest')).vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const flaky = new AuditLog(failing, keys.auditKey, clock, 5);
    flaky.record(entry(26));
    await expect(flaky.flush()).rejects.toThrow(/failed/);
    spy.mockRestore();
    // same queue, working store: swap by writing through a log that shares nothing but the entries
    (flaky as unknown as { store: Store }).store = store;
    await flaky.flush();
    const r = await verifyAuditLog(store, keys.auditKey);
    expect(r).toMatchObject({ ok: true, entries: 26 });
  });
});
