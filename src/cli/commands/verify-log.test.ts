import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditLog, resolveKeys } from '../../security/index.js';
import { openStore } from '../../store/index.js';
import { run } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'medfund-verify-log-'));
const db = join(dir, 'test.duckdb');
const saved = { ...process.env };

async function verify(): Promise<{ code: number; out: { ok: boolean; problems: { seq: number; code: string }[] } }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  process.exitCode = 0;
  try {
    await run(['node', 'medfund', 'verify-log', '--db', db, '--json']);
  } finally {
    spy.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: JSON.parse(writes.join('')) };
}

beforeAll(async () => {
  process.env.MEDFUND_SECRET = 'ab'.repeat(32);
  process.env.MEDFUND_PSEUDONYM_KEY = 'test-pseudonym-key';
  delete process.env.DATABASE_URL;
  const store = await openStore({ db });
  const log = new AuditLog(store, resolveKeys().auditKey, () => new Date('2025-01-01T00:00:00Z'));
  for (let i = 1; i <= 5; i++) await log.append({ actor: 'u', role: 'doctor', institutionId: 'H1', action: 'read', resource: 'encounter', resourceId: `E${i}`, outcome: 'ok' });
  await store.close();
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('medfund verify-log', () => {
  it('passes on an intact log and fails with exit code 1 after an entry is deleted', async () => {
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.out.ok).toBe(true);
    const store = await openStore({ db });
    await store.exec(`DELETE FROM audit_log WHERE seq = 3`);
    await store.close();
    const bad = await verify();
    expect(bad.code).toBe(1);
    expect(bad.out.problems).toContainEqual(expect.objectContaining({ seq: 4, code: 'seq-gap' }));
  });
});
