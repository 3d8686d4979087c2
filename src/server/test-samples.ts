/**
 * One sample request per route id for the authorization and fuzz tests, parameterised by the
 * institution and department it targets (fixture ids from test-fixtures.ts).
 */
export interface Sample {
  (institutionId: string, departmentId: string): { path: string; body?: unknown; contentType?: string };
  /** the request names an institution: other-institution requests must be denied */
  scoped: boolean;
  /** the request names a department: a department head asking for another one must be denied */
  department?: boolean;
  /** the request ends the session: send it with a fresh one */
  freshSession?: boolean;
}

let counter = 0;
const s = (fn: (i: string, d: string) => { path: string; body?: unknown; contentType?: string }, scoped: boolean, department = false): Sample =>
  Object.assign(fn, { scoped, department });

/** encounter ids by (institution, department) in the fixture */
const ENC: Record<string, string> = { 'H1/H1-D1': 'E1', 'H1/H1-D2': 'E2', 'H2/H2-D1': 'E3', 'H2/H2-D2': 'E3' };

export const SAMPLES: Record<string, Sample> = {
  health: s(() => ({ path: '/api/health' }), false),
  'auth.login': s(() => ({ path: '/api/auth/login', body: { username: 'admin', password: 'test-password-1' } }), false),
  'auth.logout': Object.assign(s(() => ({ path: '/api/auth/logout' }), false), { freshSession: true }),
  'auth.me': s(() => ({ path: '/api/auth/me' }), false),
  'reference.institutions': s(() => ({ path: '/api/institutions' }), false),
  'reference.departments': s((i) => ({ path: `/api/institutions/${i}/departments` }), true),
  'reference.catalog': s(() => ({ path: '/api/catalog?q=阿司匹林' }), false),
  'import.batches': s(() => ({ path: '/api/import/batches' }), false),
  'quality.summary': s((i) => ({ path: `/api/quality?institutionId=${i}` }), true),
  'quality.quarantine': s((i) => ({ path: `/api/quality/quarantine?institutionId=${i}` }), true),
  'encounters.list': s((i, d) => ({ path: `/api/encounters?institutionId=${i}&departmentId=${d}` }), true, true),
  'encounters.get': s((i, d) => ({ path: `/api/encounters/${ENC[`${i}/${d}`]}` }), true, true),
  'users.list': s(() => ({ path: '/api/users' }), false),
  'users.create': s(() => ({ path: '/api/users', body: { username: `new-user-${++counter}`, password: 'long-enough-1', role: 'bureau-auditor' } }), false),
  'auditlog.list': s(() => ({ path: '/api/audit-log?limit=5' }), false),
  'auditlog.verify': s(() => ({ path: '/api/audit-log/verify' }), false),
};

/** a pre-order check for the fixture's encounter in (institution, department) */
export function orderSample(i: string, d: string, itemCode = 'XG03AAA002') {
  return {
    patient: { sex: '1', ageYears: 65 },
    encounter: { id: 'new', kind: 'inpatient', institutionId: i, departmentId: d, doctorId: `${i}-DR1`, admitDate: '2025-06-29', diagnoses: ['I21.000'] },
    order: { itemCode, quantity: 1, at: '2025-06-30T09:00:00' },
  };
}
SAMPLES['audit.check'] = s((i, d) => ({ path: '/api/audit/check', body: orderSample(i, d) }), true, true);
SAMPLES['settlement.simulate'] = s((i, d) => ({ path: '/api/settlement/simulate', body: { encounterId: ENC[`${i}/${d}`] } }), true, true);
const CASE: Record<string, string> = { 'H1/H1-D1': 'C1', 'H1/H1-D2': 'C2', 'H2/H2-D1': 'C3', 'H2/H2-D2': 'C3' };
SAMPLES['cases.list'] = s((i, d) => ({ path: `/api/audit/cases?institutionId=${i}&departmentId=${d}` }), true, true);
SAMPLES['cases.get'] = s((i, d) => ({ path: `/api/audit/cases/${CASE[`${i}/${d}`]}` }), true, true);
SAMPLES['dashboards.fundMap'] = s((i) => ({ path: `/api/dashboards/fund-map?year=2025&institutionId=${i}` }), true);
SAMPLES['dashboards.fundMapRows'] = s((i) => ({ path: `/api/dashboards/fund-map/rows?institutionId=${i}&month=2025-04` }), true);
