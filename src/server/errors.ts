/**
 * The one place that maps errors to HTTP. Handlers throw {@link ApiError} (or a MedfundError from an
 * engine, or a ZodError from validation); {@link toErrorResponse} turns anything into a JSON error
 * body. Unexpected faults answer 500 with a reference id only — never a message or stack trace —
 * and are written to stderr under that id (without request data, which may hold patient fields).
 */
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { MedfundError, type Issue } from '../domain/index.js';

export interface ApiIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, issues: readonly ApiIssue[] = []) => new ApiError(400, 'invalid-request', message, issues);
export const notFound = (what: string) => new ApiError(404, 'not-found', `${what} not found`);
export const forbiddenScope = (message: string) => new ApiError(403, 'forbidden-scope', message);

/** Zod issues → API issues with a dotted path prefixed by where the value came from (body, query, params). */
export function zodIssues(err: ZodError, where: string): ApiIssue[] {
  return err.issues.map((i) => {
    let path = where;
    for (const seg of i.path) path += typeof seg === 'number' ? `[${seg}]` : `.${String(seg)}`;
    return { path, code: i.code, message: i.message };
  });
}

const fromDomain = (i: Issue): ApiIssue => ({ path: i.path, code: i.code, message: i.message });

export interface ErrorBody {
  error: { code: string; message: string; issues: ApiIssue[]; ref?: string };
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, issues: [...err.issues] } } };
  }
  if (err instanceof ZodError) {
    const issues = zodIssues(err, 'body');
    return { status: 400, body: { error: { code: 'invalid-request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } } };
  }
  if (err instanceof MedfundError) {
    // Engines throw MedfundError on input they cannot process (e.g. an unknown code): a client error.
    return { status: 422, body: { error: { code: err.issues[0]?.code ?? 'unprocessable', message: err.message, issues: err.issues.map(fromDomain) } } };
  }
  if (err instanceof HTTPException) {
    const status = err.status >= 400 && err.status < 500 ? err.status : 400;
    return { status, body: { error: { code: status === 413 ? 'payload-too-large' : 'bad-request', message: err.message || 'bad request', issues: [] } } };
  }
  if (err instanceof URIError) {
    return { status: 400, body: { error: { code: 'invalid-request', message: 'malformed URL encoding', issues: [] } } };
  }
  const ref = randomUUID();
  // the message only (no stack, no request data), with anything shaped like an id number masked
  const text = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500).replace(/\d{15,}[\dXx]?/g, '<masked>') : 'unknown';
  process.stderr.write(`medfund serve: internal error ${ref}: ${text}\n`);
  return { status: 500, body: { error: { code: 'internal', message: `internal error (ref ${ref})`, issues: [], ref } } };
}

const FHIR_ISSUE_CODE: Record<number, string> = { 400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'too-costly', 415: 'not-supported', 422: 'processing', 429: 'throttled', 500: 'exception', 503: 'transient' };

/** The same error as a FHIR OperationOutcome (for /api/fhir/*). */
export function toOperationOutcome(status: number, body: ErrorBody): Record<string, unknown> {
  const code = FHIR_ISSUE_CODE[status] ?? 'processing';
  const issues = body.error.issues.length
    ? body.error.issues.map((i) => ({ severity: 'error', code, details: { text: i.code }, diagnostics: i.message, expression: [i.path] }))
    : [{ severity: 'error', code, details: { text: body.error.code }, diagnostics: body.error.message }];
  return { resourceType: 'OperationOutcome', issue: issues };
}
