/**
 * The API client: one `request()` that adds the session token, turns error answers into `ApiError`
 * (status, code, field, message from the server's JSON error body) and recognises a route the
 * server does not have yet (`RouteUnavailable`), so a page can say "not available yet" instead of
 * showing anything invented.
 *
 * A route counts as present when the served OpenAPI document lists it; when no OpenAPI document
 * can be read, a plain-text 404 (the framework's "no such route") means absent.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ENDPOINTS, OPENAPI_PATHS, type DrillRef, type Endpoint, type ListOf } from './endpoints';

const TOKEN_KEY = 'medfund.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class RouteUnavailable extends Error {
  constructor(readonly route: string) {
    super(`route not available: ${route}`);
    this.name = 'RouteUnavailable';
  }
}

/** Called when the server says the session is gone (401); the auth layer sets it. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** Fill `:param` / `{param}` placeholders and append the remaining query values. */
export function buildUrl(path: string, params: Query = {}): string {
  const rest: Record<string, string> = {};
  let url = path;
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    const s = String(v);
    if (url.includes(`:${k}`)) url = url.replace(`:${k}`, encodeURIComponent(s));
    else if (url.includes(`{${k}}`)) url = url.replace(`{${k}}`, encodeURIComponent(s));
    else rest[k] = s;
  }
  const qs = new URLSearchParams(rest).toString();
  return qs ? `${url}?${qs}` : url;
}

interface ErrorBody {
  error?: string | { code?: string; message?: string; field?: string; path?: string; issues?: { code?: string; message?: string; path?: string }[] };
  code?: string;
  message?: string;
  field?: string;
  path?: string;
  issues?: { code?: string; message?: string; path?: string }[];
}

function errorFrom(status: number, body: unknown, fallback: string): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as ErrorBody;
  const e = typeof b.error === 'object' && b.error ? b.error : undefined;
  const first = e?.issues?.[0] ?? b.issues?.[0];
  // The most specific text first: an issue names the field and the reason.
  const message =
    first?.message ?? e?.message ?? b.message ?? (typeof b.error === 'string' ? b.error : undefined) ?? fallback;
  const field = first?.path ?? e?.field ?? e?.path ?? b.field ?? b.path;
  const code = e?.code ?? b.code ?? first?.code;
  return new ApiError(status, field ? `${message} (${field})` : message, code, field);
}

export async function request<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(buildUrl(path, opts.query), {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: 'same-origin',
    signal: opts.signal,
  });
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (res.ok) return body as T;
  if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
  // No JSON body on a 404/405/501: the framework's own "no such route", not a domain error.
  if ((res.status === 404 || res.status === 405 || res.status === 501) && !type.includes('json')) {
    throw new RouteUnavailable(`${method} ${path}`);
  }
  const errCode = (body as ErrorBody | null)?.error;
  if (res.status === 404 && errCode && typeof errCode === 'object' && errCode.code === 'not-found' && /no such API route/i.test(errCode.message ?? '')) {
    throw new RouteUnavailable(`${method} ${path}`);
  }
  // The server's contract for a route whose engine has not landed yet (docs/api.md).
  if (res.status === 503 && (body as ErrorBody | null)?.error && typeof (body as ErrorBody).error === 'object' &&
      ((body as ErrorBody).error as { code?: string }).code === 'engine-unavailable') {
    throw new RouteUnavailable(`${method} ${path}`);
  }
  throw errorFrom(res.status, body, `${res.status} ${res.statusText}`);
}

// ── route discovery from the OpenAPI document ──

let routesPromise: Promise<Set<string> | null> | null = null;

/** Normalise `/api/x/{id}` and `/api/x/:id` to one form so both spellings compare equal. */
function normalise(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, ':p').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ':p')}`;
}

export function loadRoutes(): Promise<Set<string> | null> {
  routesPromise ??= (async () => {
    for (const p of OPENAPI_PATHS) {
      try {
        const res = await fetch(p, { headers: { Accept: 'application/json' } });
        if (!res.ok) continue;
        const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
        if (!doc.paths) continue;
        const set = new Set<string>();
        for (const [path, ops] of Object.entries(doc.paths)) {
          for (const m of Object.keys(ops)) set.add(normalise(m, path));
        }
        return set;
      } catch {
        // not JSON or not reachable at this path: try the next candidate
      }
    }
    return null;
  })();
  return routesPromise;
}

/** Which of `endpoints` the server lacks (empty = all present; null routes = unknown → assume present). */
export async function missingEndpoints(endpoints: readonly Endpoint[]): Promise<Endpoint[]> {
  const routes = await loadRoutes();
  if (!routes) return [];
  return endpoints.filter((e) => !routes.has(normalise(e.method, e.path)));
}

/** GET the rows behind a dashboard figure. */
export function drillRows<R>(ref: DrillRef, extra: Query = {}): Promise<ListOf<R>> {
  return request<ListOf<R>>('GET', ref.path, { query: { limit: 500, ...ref.query, ...extra } });
}

/** Call a named endpoint. */
export function call<T>(ep: Endpoint, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  return request<T>(ep.method, ep.path, opts);
}

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'unavailable'; missing: string[] }
  | { state: 'error'; error: Error }
  | { state: 'ok'; data: T };

/**
 * Load data for a page: checks the endpoints exist, then runs `load`. Re-runs when `deps` change.
 */
export function useLoad<T>(
  endpoints: readonly Endpoint[],
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctrl = new AbortController();
    setResult({ state: 'loading' });
    (async () => {
      const missing = await missingEndpoints(endpoints);
      if (missing.length > 0) {
        setResult({ state: 'unavailable', missing: missing.map((m) => `${m.method} ${m.path}`) });
        return;
      }
      try {
        const data = await loadRef.current(ctrl.signal);
        if (!ctrl.signal.aborted) setResult({ state: 'ok', data });
      } catch (err) {
        if (ctrl.signal.aborted) return;
        if (err instanceof RouteUnavailable) setResult({ state: 'unavailable', missing: [err.route] });
        else setResult({ state: 'error', error: err instanceof Error ? err : new Error(String(err)) });
      }
    })();
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [result, reload];
}

export { ENDPOINTS };
