/**
 * Endpoint fuzzing: random JSON bodies, random query strings and random path segments on every
 * route, as every kind of user, must never produce a 5xx or anything looking like a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUTES } from './routes/index.js';
import { makeTestApp } from './test-fixtures.js';
import { SAMPLES } from './test-samples.js';

let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const USERS = ['bureau-auditor', 'admin', 'hospital-insurance-officer@H1', 'department-head@H1', 'doctor@H1', 'cost-accountant@H1'];
const STACK = /\n\s+at |node_modules|\.ts:\d+|Error: /;

/** Arbitrary JSON-ish values, biased towards objects with plausible keys so validation goes deep. */
const keys = fc.constantFrom('username', 'password', 'institutionId', 'encounter', 'lines', 'diagnoses', 'quantity', 'resourceType', 'entry', 'item', 'dir', 'kind', 'role', 'action', 'id', '__proto__', 'constructor', '');
const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('H2'), fc.constant('E1'));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(keys, tie('v'), { maxKeys: 5 })),
})).v;

function fill(path: string, seg: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, () => encodeURIComponent(seg));
}

describe('endpoint fuzzing', () => {
  it('random bodies never yield a 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES.filter((r) => r.method !== 'get' && r.id !== 'auth.logout')), fc.constantFrom(...USERS), value, fc.boolean(), async (r, user, body, asText) => {
        const sample = SAMPLES[r.id]!('H1', 'H1-D1');
        const payload = asText ? JSON.stringify(body).slice(0, Math.max(0, JSON.stringify(body).length - 1)) : body;
        const res = await t.request(sample.path, { method: r.method.toUpperCase(), token: t.users.get(user)!.token, body: payload ?? 'null', headers: { 'content-type': r.bodyKind === 'fhir' ? 'application/fhir+json' : 'application/json' } });
        const text = await res.text();
        expect(res.status, `${r.id} ${text}`).toBeLessThan(500);
        expect(text).not.toMatch(STACK);
      }),
      { numRuns: 250, seed: 20250630 },
    );
  });

  it('random query strings and path segments never yield a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES.filter((r) => r.method === 'get')),
        fc.constantFrom(...USERS),
        fc.dictionary(fc.constantFrom('institutionId', 'departmentId', 'limit', 'offset', 'q', 'from', 'to', 'month', 'year', 'kind', 'beforeSeq', 'status', 'type'), fc.oneof(fc.string(), fc.integer().map(String), fc.constant('%'), fc.constant('-1'), fc.constant('1e309'))),
        fc.oneof(fc.string({ minLength: 1 }), fc.constant('%E0%A4%A'), fc.constant('..'), fc.constant('E1')),
        async (r, user, query, seg) => {
          const qs = new URLSearchParams(query).toString();
          const path = fill(r.path, seg) + (qs ? `?${qs}` : '');
          const res = await t.request(path.replace('%25E0%25A4%25A', '%E0%A4%A'), { token: t.users.get(user)!.token });
          const text = await res.text();
          expect(res.status, `${path} ${text}`).toBeLessThan(500);
          expect(text).not.toMatch(STACK);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });

  it('oversized bodies are refused with 413', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(3 * 1024 * 1024), password: 'y' });
    const res = await t.request('/api/auth/login', { method: 'POST', body: big });
    expect(res.status).toBe(413);
  });
});
