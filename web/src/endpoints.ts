/**
 * Every API route the web app calls, in one place, as listed in docs/api.md. A page declares the
 * endpoints it needs; when the server's OpenAPI document lacks one, or the route answers 503
 * `engine-unavailable`, the page shows "not available yet" (see api.ts).
 */
export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
}

const get = (path: string): Endpoint => ({ method: 'GET', path });
const post = (path: string): Endpoint => ({ method: 'POST', path });

/** Where the server serves its OpenAPI document (docs/api.md). */
export const OPENAPI_PATHS = ['/api/openapi.json'] as const;

export const ENDPOINTS = {
  login: post('/api/auth/login'),
  logout: post('/api/auth/logout'),
  me: get('/api/auth/me'),
  institutions: get('/api/institutions'),
  departments: get('/api/institutions/:id/departments'),
  catalog: get('/api/catalog'),
  encounters: get('/api/encounters'),
  encounter: get('/api/encounters/:id'),

  quality: get('/api/quality'),
  qualityQuarantine: get('/api/quality/quarantine'),
  importBatches: get('/api/import/batches'),

  fundMap: get('/api/dashboards/fund-map'),
  fundMapRows: get('/api/dashboards/fund-map/rows'),
  drgBoard: get('/api/dashboards/drg-board'),
  costCockpit: get('/api/dashboards/cost-cockpit'),
  costDepartments: get('/api/costing/departments'),

  auditViolations: get('/api/audit/violations'),
  auditViolation: get('/api/audit/violations/:id'),
  auditCases: get('/api/audit/cases'),
  auditCase: get('/api/audit/cases/:id'),
  auditCaseAction: post('/api/audit/cases/:id/actions'),
  auditCheck: post('/api/audit/check'),
  auditScores: get('/api/audit/scores'),

  settleSimulate: post('/api/settlement/simulate'),
  drgPredict: post('/api/drg/predict'),
} as const satisfies Record<string, Endpoint>;

/** A dashboard figure's pointer to the rows behind it (docs/api.md § Drill-down). */
export interface DrillRef {
  path: string;
  query?: Record<string, string | number | boolean | null | undefined>;
}

/** The API's list format. */
export interface ListOf<R> {
  rows: R[];
  total?: number;
  limit?: number;
  offset?: number;
}
