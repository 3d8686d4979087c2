/**
 * Routes as data: each route declares method, path, roles, zod schemas and a handler. `mountRoutes`
 * wires them into Hono with authentication, the role check, validation and audit logging; the
 * OpenAPI document and the authorization test read the same list, so no route escapes either.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z, type ZodType } from 'zod';
import type { AuditEntryInput, Principal, Role } from '../security/index.js';
import type { AppEnv, Services } from './context.js';
import { ApiError, badRequest, zodIssues } from './errors.js';
import { Scope } from './scope.js';

export const SESSION_COOKIE = 'medfund_session';

export type Access = 'public' | 'authenticated' | readonly Role[];

export interface HandlerArgs<B, Q, P> {
  readonly c: Context<AppEnv>;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly services: Services;
  /** undefined only on public routes */
  readonly principal: Principal;
  readonly scope: Scope;
  /** append to the tamper-evident audit log as this principal */
  log(entry: LogEntry): Promise<void>;
  /**
   * Append to the audit log without waiting for the commit (hot read-only paths): chained in order,
   * written with the next batch within milliseconds, before any read of the log and on shutdown.
   */
  record(entry: LogEntry): void;
}

export type LogEntry = Omit<AuditEntryInput, 'actor' | 'role' | 'institutionId' | 'outcome'> & { outcome?: AuditEntryInput['outcome'] };

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  /** stable id, e.g. `drg.group` */
  readonly id: string;
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Hono path, e.g. `/api/audit/violations/:id` */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** body kind: json (default when `body` is set), raw (handler reads the request itself) */
  readonly bodyKind?: 'json' | 'raw' | 'fhir';
  readonly body?: ZodType<B>;
  readonly query?: ZodType<Q>;
  readonly params?: ZodType<P>;
  /** the route reads patient-level data (for docs; handlers log what they touch) */
  readonly patientData?: boolean;
  handler(args: HandlerArgs<B, Q, P>): Promise<unknown> | unknown;
}

export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>>(spec: RouteSpec<B, Q, P>): RouteSpec<B, Q, P> {
  return spec;
}

/** Common query fragments. */
export const Paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};
export const IdParam = z.object({ id: z.string().min(1).max(100) });
/** A real calendar date (2025-02-30 is refused), ISO `YYYY-MM-DD`. */
export function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD').refine(isCalendarDate, 'not a calendar date');
/** ISO timestamp `YYYY-MM-DDTHH:mm[:ss]` with a real date and time. */
export const isoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'expected an ISO timestamp YYYY-MM-DDTHH:mm:ss')
  .refine(isCalendarDate, 'not a calendar date');
export const isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');

function bearer(c: Context<AppEnv>): string | undefined {
  const h = c.req.header('authorization');
  if (h) {
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    return m ? m[1] : undefined;
  }
  return getCookie(c, SESSION_COOKIE);
}

/**
 * The body as text. Under @hono/node-server a request with a Content-Length (the HTTP parser then
 * delivers exactly that many bytes, and app.ts has already refused it above the size limit) is read
 * straight from the Node stream: going through `c.req.text()` builds a WHATWG Request and web
 * streams, ≈ 0.15 ms of CPU per request on the pre-order check's hot path.
 */
function bodyText(c: Context<AppEnv>): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== 'function' || c.req.header('content-length') === undefined || c.req.header('transfer-encoding') !== undefined || incoming.readableDidRead) {
    return c.req.text();
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (ch: Buffer) => chunks.push(ch));
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
    // a client that hangs up mid-body must not leave the handler waiting forever
    incoming.once('close', () => {
      if (!incoming.complete) reject(new ApiError(400, 'invalid-request', 'the request body was cut off'));
    });
  });
}

async function readJson(c: Context<AppEnv>, maxBytes: number, fhir: boolean): Promise<unknown> {
  const ct = (c.req.header('content-type') ?? '').toLowerCase();
  const okType = ct.includes('application/json') || (fhir && ct.includes('application/fhir+json'));
  const text = await bodyText(c);
  if (text.length === 0) return undefined;
  if (!okType) throw new ApiError(415, 'unsupported-media-type', `send the body as ${fhir ? 'application/fhir+json or ' : ''}application/json`);
  if (Buffer.byteLength(text) > maxBytes) throw new ApiError(413, 'payload-too-large', `JSON bodies are limited to ${maxBytes} bytes`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`body is not valid JSON: ${(err as Error).message}`, [{ path: 'body', code: 'invalid-json', message: (err as Error).message }]);
  }
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = zodIssues(r.error, where);
    throw badRequest(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return r.data;
}

export async function authenticate(c: Context<AppEnv>, services: Services): Promise<Principal | undefined> {
  const token = bearer(c);
  return token ? services.sessions.resolve(token) : undefined;
}

export function mountRoutes(app: Hono<AppEnv>, routes: readonly RouteSpec<any, any, any>[]): void {
  for (const spec of routes) {
    app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const services = c.get('services');
      let principal: Principal | undefined;
      if (spec.access !== 'public') {
        principal = await authenticate(c, services);
        if (!principal) throw new ApiError(401, 'unauthenticated', 'log in first (请先登录)');
        if (spec.access !== 'authenticated' && !spec.access.includes(principal.role)) {
          throw new ApiError(403, 'forbidden-role', `role ${principal.role} may not use ${spec.method.toUpperCase()} ${spec.path} (无权限)`);
        }
        c.set('principal', principal);
      }
      const params = parse(spec.params, c.req.param(), 'params');
      const query = parse(spec.query, c.req.query(), 'query');
      let body: unknown;
      if (spec.body && spec.bodyKind !== 'raw') {
        const raw = await readJson(c, services.config.maxJsonBytes, spec.bodyKind === 'fhir');
        if (raw === undefined) throw badRequest('a JSON body is required', [{ path: 'body', code: 'required', message: 'a JSON body is required' }]);
        body = parse(spec.body, raw, 'body');
      }
      const p = principal ?? ({ userId: '', username: 'anonymous', role: 'doctor', institutionId: '', departmentId: '', sessionId: '' } as Principal);
      const full = (e: LogEntry): AuditEntryInput => ({ ...e, actor: p.username, role: principal ? p.role : 'anonymous', institutionId: p.institutionId, outcome: e.outcome ?? 'ok' });
      const log = (e: LogEntry) => services.audit.append(full(e));
      const record = (e: LogEntry) => services.audit.record(full(e));
      const scope = new Scope(p);
      try {
        const result = await spec.handler({ c, body, query, params, services, principal: p, scope, log, record });
        if (result instanceof Response) return result;
        return c.json(result as object);
      } catch (err) {
        // A scope denial on a patient-data route is itself worth recording.
        if (err instanceof ApiError && err.code === 'forbidden-scope' && principal) {
          await log({ action: 'read', resource: spec.id, resourceId: JSON.stringify(params ?? {}).slice(0, 200), outcome: 'denied' });
        }
        throw err;
      }
    });
  }
}
