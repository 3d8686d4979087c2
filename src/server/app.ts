/**
 * The HTTP application: `createApp({ store, config, clock })` returns a Hono app, testable in-process
 * with `app.request()`. API under /api; the built web app (web/dist) everywhere else with an SPA
 * fallback to index.html.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { AuditLog, SessionManager } from '../security/index.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';
import type { AppEnv, Services } from './context.js';
import { ApiError, toErrorResponse, toOperationOutcome } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { mountRoutes } from './route.js';
import { ROUTES } from './routes/index.js';

export interface CreateAppOptions {
  readonly store: Store;
  readonly config: ServerConfig;
  /** injectable clock (tests); defaults to the system clock */
  readonly clock?: () => Date;
}

const servicesOf = new WeakMap<object, Services>();

/** The services behind an app (tests flush the audit log through it). */
export function appServices(app: object): Services {
  const s = servicesOf.get(app);
  if (!s) throw new Error('not an app created by createApp');
  return s;
}

/** The headers of every API answer: hono/secure-headers' defaults plus `Cache-Control: no-store`. */
export const API_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Cache-Control', 'no-store'],
];

const NO_WEB_PAGE = `<!doctype html><meta charset="utf-8"><title>MedFund</title>
<h1>MedFund</h1><p>网页应用尚未构建：请运行 <code>npm run build:web</code>。The web app is not built yet: run <code>npm run build:web</code>.</p>
<p>API: <a href="/api/openapi.json">/api/openapi.json</a></p>`;

export function createApp(opts: CreateAppOptions): Hono<AppEnv> {
  const clock = opts.clock ?? (() => new Date());
  const { store, config } = opts;
  const services: Services = {
    store, config, clock, keys: config.keys,
    audit: new AuditLog(store, config.keys.auditKey, clock),
    sessions: new SessionManager(store, config.keys, clock, config.sessionTtlMs),
    cache: new Map(),
  };
  const app = new Hono<AppEnv>();
  servicesOf.set(app, services);

  app.onError((err, c) => {
    const { status, body } = toErrorResponse(err);
    if (c.req.path.startsWith('/api/fhir/')) {
      return c.body(JSON.stringify(toOperationOutcome(status, body)), status as 400, { 'content-type': 'application/fhir+json; charset=utf-8' });
    }
    return c.json(body, status as 400);
  });

  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  // Security headers (Hono's secureHeaders() defaults) and no-store, set *before* the handler so
  // they are part of the response it builds: setting them afterwards makes Hono copy the finished
  // response into a new WHATWG Response (≈ 0.1 ms per request on the pre-order check's hot path).
  app.use('/api/*', (c, next) => {
    for (const [name, value] of API_HEADERS) c.header(name, value);
    return next();
  });
  const tooLarge = () => new ApiError(413, 'payload-too-large', `request bodies are limited to ${config.maxBodyBytes} bytes`);
  const limitStream = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  // A plain Content-Length is checked from the header alone (Node's parser delivers exactly that
  // many bytes), so the hot path never builds a WHATWG Request; chunked bodies are counted by Hono.
  app.use('/api/*', (c, next) => {
    const len = c.req.header('content-length');
    if (len !== undefined && /^\d{1,15}$/.test(len) && c.req.header('transfer-encoding') === undefined) {
      if (Number(len) > config.maxBodyBytes) throw tooLarge();
      return next();
    }
    return limitStream(c, next);
  });

  const openapi = buildOpenApi(ROUTES);
  app.get('/api/openapi.json', (c) => c.json(openapi));
  mountRoutes(app, ROUTES);
  app.all('/api/*', () => {
    throw new ApiError(404, 'not-found', 'no such API route (see /api/openapi.json)');
  });

  // Static web app with SPA fallback: unknown non-API paths get index.html so client routes deep-link.
  const webRoot = resolve(config.webDist);
  // created on first use, so a web app built after the server started is still served
  let statics: ReturnType<typeof serveStatic<AppEnv>> | undefined;
  app.use('/*', async (c, next) => {
    if (!statics && existsSync(webRoot)) statics = serveStatic<AppEnv>({ root: webRoot });
    return statics ? statics(c, next) : next();
  });
  app.get('/*', (c) => {
    const index = join(webRoot, 'index.html');
    if (existsSync(index)) return c.html(readFileSync(index, 'utf8'));
    return c.html(NO_WEB_PAGE);
  });
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'not found', issues: [] } }, 404));
  return app;
}
