/**
 * One sample request per route id for the authorization and fuzz tests, parameterised by the
 * institution and department it targets (fixture ids from test-fixtures.ts).
 */
export interface Sample {
  (institutionId: string, departmentId: string, role?: string): { path: string; body?: unknown; contentType?: string };
  /** the request names an institution: other-institution requests must be denied */
  scoped: boolean;
  /** the request names a department: a department head asking for another one must be denied */
  department?: boolean;
  /** the request ends the session: send it with a fresh one */
  freshSession?: boolean;
}

let counter = 0;
const s = (fn: (i: string, d: string, role?: string) => { path: string; body?: unknown; contentType?: string }, scoped: boolean, department = false): Sample =>
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

/** A FHIR Claim bundle for the fixture: a male inpatient in (institution) billed a female-only drug. */
export function claimBundle(i: string, idNumber = '110101196003017777') {
  return {
    resourceType: 'Bundle', type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', gender: 'male', birthDate: '1960-03-01', identifier: [{ system: 'urn:oid:2.16.156.10011.1.5', value: idNumber }] } },
      { fullUrl: 'urn:uuid:cov', resource: { resourceType: 'Coverage', type: { coding: [{ code: 'resident' }] } } },
      {
        fullUrl: 'urn:uuid:c1',
        resource: {
          resourceType: 'Claim', id: 'CLM-1', status: 'active', use: 'claim',
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'institutional' }] },
          patient: { reference: 'urn:uuid:p1' }, provider: { reference: `Organization/${i}` },
          billablePeriod: { start: '2025-05-01', end: '2025-05-04' },
          insurance: [{ sequence: 1, focal: true, coverage: { reference: 'urn:uuid:cov' } }],
          diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: 'I21.000' }] } }],
          item: [
            { sequence: 1, productOrService: { coding: [{ code: '001202000010000' }] }, servicedDate: '2025-05-01', quantity: { value: 3 }, unitPrice: { value: 20, currency: 'CNY' } },
            { sequence: 2, productOrService: { coding: [{ code: 'XG03AAA002' }] }, servicedDate: '2025-05-02', quantity: { value: 2 }, unitPrice: { value: 30, currency: 'CNY' } },
          ],
        },
      },
    ],
  };
}
SAMPLES['fhir.claim'] = s((i) => ({ path: '/api/fhir/Claim', body: claimBundle(i), contentType: 'application/fhir+json' }), true);
SAMPLES['fhir.eob'] = s((i, d) => ({ path: `/api/fhir/ExplanationOfBenefit/${ENC[`${i}/${d}`]}` }), true, true);
SAMPLES['fhir.eobSearch'] = s((i) => ({ path: `/api/fhir/ExplanationOfBenefit?institutionId=${i}` }), true);
const drgCase = { sex: '2', ageYears: 33, losDays: 5, dischargeDate: '2025-03-08', diagnoses: ['K35.201', 'K38.900'], procedures: ['47.0900x001'] };
SAMPLES['drg.group'] = s(() => ({ path: '/api/drg/group', body: drgCase }), false);
SAMPLES['drg.predict'] = s(() => ({ path: '/api/drg/predict', body: { ...drgCase, costSoFarFen: 1_200_000, daysSoFar: 4 } }), false);
SAMPLES['dashboards.drgBoard'] = s((i, d) => ({ path: `/api/dashboards/drg-board?institutionId=${i}&departmentId=${d}` }), true, true);
SAMPLES['dashboards.drgBoardRows'] = s((i, d) => ({ path: `/api/dashboards/drg-board/rows?scheme=chs-drg-2.0&institutionId=${i}&departmentId=${d}` }), true, true);
SAMPLES['violations.list'] = s((i, d) => ({ path: `/api/audit/violations?institutionId=${i}&departmentId=${d}` }), true, true);
const VIOL: Record<string, string> = { 'H1/H1-D1': 'V1', 'H1/H1-D2': 'V2', 'H2/H2-D1': 'V3', 'H2/H2-D2': 'V3' };
SAMPLES['violations.get'] = s((i, d) => ({ path: `/api/audit/violations/${VIOL[`${i}/${d}`]}` }), true, true);
SAMPLES['cases.action'] = s(
  (i, d, role) => ({
    path: `/api/audit/cases/${CASE[`${i}/${d}`]}/actions`,
    body: role === 'hospital-insurance-officer' ? { kind: 'appeal', reason: '有病历记录支持 / supported by the medical record' } : { kind: 'notify', appealDueDate: '2025-07-10' },
  }),
  true,
);
SAMPLES['audit.scores'] = s((i, d, role) => ({ path: `/api/audit/scores?level=${role === 'department-head' ? 'department' : 'hospital'}&institutionId=${i}${role === 'department-head' ? `&departmentId=${d}` : ''}` }), true, true);
SAMPLES['import.dir'] = s(() => ({ path: '/api/import', body: { dir: 'region' } }), false);
SAMPLES['import.upload'] = s(() => ({ path: '/api/import/upload?kind=institutions&name=upload.csv', body: 'id,name,level,kind,regionCode\nH8,示例社区卫生服务中心,1,primary-care,320500\n', contentType: 'text/csv' }), false);
SAMPLES['dashboards.costCockpit'] = s((i, d) => ({ path: `/api/dashboards/cost-cockpit?year=2025&institutionId=${i}&departmentId=${d}` }), true, true);
SAMPLES['dashboards.costCockpitRows'] = s((i, d) => ({ path: `/api/dashboards/cost-cockpit/rows?year=2025&kind=drg&institutionId=${i}&departmentId=${d}` }), true, true);
SAMPLES['costing.departments'] = s((i, d) => ({ path: `/api/costing/departments?institutionId=${i}&departmentId=${d}&year=2025` }), true, true);
