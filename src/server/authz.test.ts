/**
 * Authorization for EVERY endpoint: each route × each role × own / other institution (and own /
 * other department for department heads). A route without a sample here fails the test, so new
 * routes cannot skip the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../security/index.js';
import { ROUTES } from './routes/index.js';
import { makeTestApp } from './test-fixtures.js';
import { SAMPLES } from './test-samples.js';

let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const HOSPITAL_ROLES: Role[] = ['hospital-insurance-officer', 'cost-accountant', 'department-head', 'doctor'];
const userKey = (role: Role, inst = 'H1') => (HOSPITAL_ROLES.includes(role) ? `${role}@${inst}` : role);
/** ids that belong to H2 only: an H1 user must never see them */
const H2_MARKERS = ['"H2"', '"H2-D1"', '"H2-D2"', '"E3"', '"L4"', '"H2-DR1"'];
const H1_OTHER_DEPT_MARKERS = ['"E2"', '"L3"'];

/** The error code of our JSON errors or of a FHIR OperationOutcome. */
function errorCode(text: string): string {
  const b = JSON.parse(text) as { error?: { code: string }; issue?: { details: { text: string } }[] };
  return b.error?.code ?? b.issue?.[0]?.details.text ?? '';
}

async function call(key: string | undefined, s: { method: string; path: string; body?: unknown; contentType?: string }, fresh = false) {
  let token = key ? t.users.get(key)!.token : undefined;
  if (key && fresh) token = (await t.services.sessions.create(t.users.get(key)!.user)).token;
  const res = await t.request(s.path, {
    method: s.method,
    ...(token ? { token } : {}),
    ...(s.body !== undefined ? { body: s.body } : {}),
    ...(s.contentType ? { headers: { 'content-type': s.contentType } } : {}),
  });
  return { status: res.status, text: await res.text() };
}

describe('authorization table', () => {
  it('has a sample for every route', () => {
    const missing = ROUTES.filter((r) => !SAMPLES[r.id]).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  for (const r of ROUTES) {
    const sample = SAMPLES[r.id];
    if (!sample) continue;
    describe(`${r.method.toUpperCase()} ${r.path} (${r.id})`, () => {
      if (r.access !== 'public') {
        it('401 without a session', async () => {
          const s = sample('H1', 'H1-D1', 'bureau-auditor');
          expect((await call(undefined, { method: r.method, ...s })).status).toBe(401);
        });
        it('401 with a forged token', async () => {
          const s = sample('H1', 'H1-D1', 'bureau-auditor');
          const res = await t.request(s.path, { method: r.method, token: 'forged-token-value', ...(s.body !== undefined ? { body: s.body } : {}) });
          expect(res.status).toBe(401);
        });
      }
      for (const role of ROLES) {
        const allowed = r.access === 'public' || r.access === 'authenticated' || r.access.includes(role);
        const bound = HOSPITAL_ROLES.includes(role);
        if (!allowed) {
          it(`${role}: 403 forbidden-role`, async () => {
            const res = await call(userKey(role), { method: r.method, ...sample('H1', 'H1-D1', role) });
            expect(res.status).toBe(403);
            expect(errorCode(res.text)).toBe('forbidden-role');
          });
          continue;
        }
        it(`${role}: own institution allowed, no other institution's data in the answer`, async () => {
          const res = await call(userKey(role), { method: r.method, ...sample('H1', 'H1-D1', role) }, sample.freshSession);
          expect(res.status, res.text).toBeLessThan(400);
          if (bound) for (const m of H2_MARKERS) expect(res.text).not.toContain(m);
          if (role === 'department-head') for (const m of H1_OTHER_DEPT_MARKERS) expect(res.text).not.toContain(m);
        });
        if (sample.scoped && bound) {
          it(`${role}: other institution denied (403 forbidden-scope)`, async () => {
            const res = await call(userKey(role), { method: r.method, ...sample('H2', 'H2-D1', role) });
            expect(res.status, res.text).toBe(403);
            expect(errorCode(res.text)).toBe('forbidden-scope');
          });
        }
        if (sample.scoped && role === 'department-head' && sample.department) {
          it(`${role}: other department of the same institution denied`, async () => {
            const res = await call(userKey(role), { method: r.method, ...sample('H1', 'H1-D2', role) });
            expect(res.status, res.text).toBe(403);
          });
        }
        if (sample.scoped && !bound) {
          it(`${role}: region-wide role reaches every institution`, async () => {
            const res = await call(userKey(role), { method: r.method, ...sample('H2', 'H2-D1', role) }, sample.freshSession);
            expect(res.status, res.text).toBeLessThan(400);
          });
        }
      }
    });
  }
});
