import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp } from './test-fixtures.js';

let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

describe('server basics', () => {
  it('logs in, answers me, logs out', async () => {
    const login = await t.request('/api/auth/login', { method: 'POST', body: { username: 'bureau-auditor', password: 'test-password-1' } });
    expect(login.status).toBe(200);
    const { token, user } = (await login.json()) as { token: string; user: { role: string } };
    expect(user.role).toBe('bureau-auditor');
    expect(login.headers.get('set-cookie')).toMatch(/medfund_session=.*HttpOnly/i);
    const me = await t.request('/api/auth/me', { token });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('bureau-auditor');
    expect((await t.request('/api/auth/logout', { method: 'POST', token })).status).toBe(200);
    expect((await t.request('/api/auth/me', { token })).status).toBe(401);
  });

  it('rejects a wrong password with 401 and names no user detail', async () => {
    const r = await t.request('/api/auth/login', { method: 'POST', body: { username: 'admin', password: 'nope-nope' } });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('invalid-credentials');
  });

  it('names the invalid field in a 400', async () => {
    const r = await t.request('/api/auth/login', { method: 'POST', body: { username: 'x' } });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues.map((i) => i.path)).toContain('body.password');
  });

  it('answers malformed JSON with 400 and a wrong content type with 415', async () => {
    const bad = await t.request('/api/auth/login', { method: 'POST', body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    const plain = await t.request('/api/auth/login', { method: 'POST', body: 'username=a', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
  });

  it('serves the OpenAPI document listing every route', async () => {
    const r = await t.request('/api/openapi.json');
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/encounters/{id}']?.get).toBeDefined();
  });

  it('falls back to a page for client routes and 404 JSON for unknown API paths', async () => {
    const page = await t.request('/drg-board');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/html/);
    const api = await t.request('/api/no-such-thing');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });

  it('masks id numbers in quarantined rows', async () => {
    const r = await t.request('/api/quality/quarantine', { token: t.users.get('admin')!.token });
    const body = (await r.json()) as { rows: { raw: string }[] };
    expect(body.rows[0]!.raw).not.toContain('110101199003077777');
    expect(body.rows[0]!.raw).toContain('110*************77');
  });
});

describe('error mapper', () => {
  it('answers an unexpected fault with a reference only: no message, no stack, no id number', async () => {
    const { toErrorResponse } = await import('./errors.js');
    const spy = (await import('vitest')).vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { status, body } = toErrorResponse(new TypeError('cannot read x of undefined at /work/main/src/secret.ts:10 for 110101199003077777'));
    const logged = spy.mock.calls.map((c) => String(c[0])).join('');
    spy.mockRestore();
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal');
    expect(JSON.stringify(body)).not.toMatch(/secret|undefined|TypeError|110101/);
    expect(body.error.message).toContain(body.error.ref!);
    expect(logged).toContain(body.error.ref!);
    expect(logged).not.toContain('110101199003077777');
  });
});
