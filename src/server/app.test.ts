import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_NOW, makeTestApp } from './test-fixtures.js';

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

describe('API headers and the HTTP fast paths', () => {
  it('sends the security headers and no-store on answers, errors and unknown API paths', async () => {
    const { API_HEADERS } = await import('./app.js');
    const answers = [
      await t.request('/api/auth/me', { token: t.users.get('admin')!.token }),
      await t.request('/api/auth/me'),
      await t.request('/api/auth/login', { method: 'POST', body: { username: 'x' } }),
      await t.request('/api/no-such-thing'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 400, 404]);
    for (const r of answers) for (const [name, value] of API_HEADERS) expect(r.headers.get(name)).toBe(value);
  });

  it('over real HTTP: reads JSON bodies from the Node stream, refuses oversized ones, logs the pre-order check', async () => {
    const { serve } = await import('@hono/node-server');
    const { createApp, appServices } = await import('./app.js');
    const { makeServerConfig } = await import('./config.js');
    const { listAuditEntries } = await import('../security/index.js');
    const app = createApp({ store: t.store, config: makeServerConfig(t.keys, { webDist: '.tmp/no-such-web-dist', maxBodyBytes: 2000 }), clock: () => FIXED_NOW });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const http = await import('node:http');
    const post = (path: string, body: string, headers: Record<string, string | number>) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const json = { 'content-type': 'application/json' };
      // Content-Length path (read from the Node stream) and chunked path (Hono's counting limit)
      const login = JSON.stringify({ username: 'admin', password: 'test-password-1' });
      expect((await post('/api/auth/login', login, { ...json, 'content-length': Buffer.byteLength(login) })).status).toBe(200);
      expect((await post('/api/auth/login', login, { ...json, 'transfer-encoding': 'chunked' })).status).toBe(200);
      const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(3000) });
      const r1 = await post('/api/auth/login', big, { ...json, 'content-length': Buffer.byteLength(big) });
      expect(r1.status).toBe(413);
      expect((await post('/api/auth/login', big, { ...json, 'transfer-encoding': 'chunked' })).status).toBe(413);
      const bad = '{"username":';
      expect((await post('/api/auth/login', bad, { ...json, 'content-length': bad.length })).status).toBe(400);
      // The pre-order check is logged without waiting for the commit; a read of the log flushes first.
      const doctor = t.users.get('doctor@H1')!.token;
      const check = JSON.stringify({
        patient: { sex: '1', ageYears: 60 },
        encounter: { id: 'E-HTTP-1', kind: 'inpatient', institutionId: 'H1', doctorId: 'H1-DR1', admitDate: '2025-03-01', diagnoses: ['I21.000'] },
        order: { itemCode: 'XC01AAA001', quantity: 1, at: '2025-03-01T09:00:00' },
      });
      const r2 = await post('/api/audit/check', check, { ...json, authorization: `Bearer ${doctor}`, 'content-length': Buffer.byteLength(check) });
      expect(r2.status).toBe(200);
      await appServices(app).audit.flush();
      const entries = await listAuditEntries(t.store, { limit: 5, resource: 'pre-order' });
      expect(entries.some((e) => e.resourceId === 'E-HTTP-1' && e.action === 'check')).toBe(true);
    } finally {
      await appServices(app).audit.flush();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
