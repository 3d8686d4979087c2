/** The server and the audit log on PostgreSQL: the same fixture, scoping, checks and tamper detection. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../security/index.js';
import { openTestPostgres } from '../testing/postgres.js';
import { makeTestApp } from './test-fixtures.js';
import { claimBundle, orderSample } from './test-samples.js';

let pg: Awaited<ReturnType<typeof openTestPostgres>>;
let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  pg = await openTestPostgres();
  t = await makeTestApp({ store: pg.store });
});
afterAll(async () => {
  await t.services.audit.flush();
  await pg.cleanup();
});

describe('server on PostgreSQL', () => {
  it('scopes, checks, settles, answers FHIR and keeps a verifiable log', async () => {
    const officer = t.users.get('hospital-insurance-officer@H1')!.token;
    expect((await t.request('/api/encounters/E3', { token: officer })).status).toBe(403);
    const list = (await (await t.request('/api/encounters', { token: officer })).json()) as { total: number };
    expect(list.total).toBe(2);
    const check = await t.request('/api/audit/check', { method: 'POST', token: t.users.get('doctor@H1')!.token, body: orderSample('H1', 'H1-D1') });
    expect(check.status).toBe(200);
    const sim = (await (await t.request('/api/settlement/simulate', { method: 'POST', token: officer, body: { encounterId: 'E1' } })).json()) as { result: { totalFen: number } };
    expect(sim.result.totalFen).toBe(14560);
    const claim = await t.request('/api/fhir/Claim', { method: 'POST', token: officer, body: claimBundle('H1'), headers: { 'content-type': 'application/fhir+json' } });
    expect(claim.status).toBe(200);
    const map = (await (await t.request('/api/dashboards/fund-map?year=2025', { token: t.users.get('bureau-auditor')!.token })).json()) as { cells: unknown[] };
    expect(map.cells).toHaveLength(3);
    await t.services.audit.flush();
    expect((await verifyAuditLog(pg.store, t.keys.auditKey)).ok).toBe(true);
    await pg.store.exec(`DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`);
    const v = await verifyAuditLog(pg.store, t.keys.auditKey);
    expect(v.problems).toContainEqual(expect.objectContaining({ code: 'head-mismatch' }));
  });
});
