/**
 * The real MedFund server, in-process, on a free loopback port, over an in-memory store that the
 * caller fills (a small generated region). Keys are fixed test keys, never the installation's.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { deriveKeys, type SecurityKeys } from '../../src/security/index.js';
import { appServices, createApp, makeServerConfig, seedDemoUsers } from '../../src/server/index.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { WEB_DIST } from './build.js';

export const TEST_SECRET = Buffer.alloc(32, 11);
export const TEST_PSEUDONYM_KEY = 'e2e-web-pseudonym-key-not-secret';

export interface RunningServer {
  readonly url: string;
  readonly store: Store;
  readonly keys: SecurityKeys;
  /** log in through the API (its own session) and return the bearer token */
  login(username: string, password: string): Promise<string>;
  /** GET/POST the API as a token holder; throws on a non-2xx answer */
  api<T>(token: string, path: string, init?: { method?: string; body?: unknown; query?: Record<string, unknown> }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startServer(seed: (store: Store) => Promise<void>, clock: () => Date = () => new Date()): Promise<RunningServer> {
  const store = await openMemoryStore();
  await seed(store);
  const keys = deriveKeys(TEST_SECRET, Buffer.from(TEST_PSEUDONYM_KEY, 'utf8'));
  await seedDemoUsers(store, keys, clock());
  const config = makeServerConfig(keys, { webDist: WEB_DIST, importRoot: '.' });
  const app = createApp({ store, config, clock });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  async function api<T>(token: string, path: string, init: { method?: string; body?: unknown; query?: Record<string, unknown> } = {}) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    const res = await fetch(`${url}${path}${qs.size ? `?${qs}` : ''}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T };
  }

  return {
    url,
    store,
    keys,
    async login(username, password) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    api,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await appServices(app).audit.flush();
      await store.close();
    },
  };
}
