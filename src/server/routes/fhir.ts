/** FHIR R4 接口: Claim → ClaimResponse (audit verdicts + settlement); ExplanationOfBenefit export. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { auditEncounter } from '../../audit/index.js';
import { settle } from '../../settlement/index.js';
import { encryptField, pseudonymise } from '../../security/index.js';
import { toEncounter } from '../../store/base.js';
import type { SqlValue } from '../../store/store.js';
import { ApiError, notFound } from '../errors.js';
import { auditPlan, catalogByCode, institutionsById, settlementPolicies } from '../engines.js';
import { claimScheme, claimToDomain, decisionOf, nationalIdOf, refId, resolveClaim, toClaimResponse, toExplanationOfBenefit } from '../fhir.js';
import { IdParam, isoDate, route } from '../route.js';
import { defaultPersonType, policyFor, settleStoredEncounter, yearToDateBefore } from './settlement.js';
import type { Services } from '../context.js';
import type { Encounter } from '../../domain/index.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

async function eobFor(services: Services, enc: Encounter) {
  const [{ result, lines }, plan, insts] = await Promise.all([settleStoredEncounter(services, enc), auditPlan(services), institutionsById(services)]);
  const violations = auditEncounter(plan, { encounter: enc, institutionLevel: insts.get(enc.institutionId)!.level }, lines);
  return toExplanationOfBenefit({ encounter: enc, lines, settlement: result, violations, created: services.clock().toISOString() });
}

export const fhirRoutes = [
  route({
    id: 'fhir.claim', method: 'post', path: '/api/fhir/Claim', tag: 'fhir', bodyKind: 'fhir', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer', 'doctor'],
    summary: 'Submit a FHIR R4 Claim (or a Bundle holding one) → ClaimResponse with audit verdicts and settlement',
    body: z.unknown(),
    handler: async ({ c, services, scope, body, principal, log }) => {
      const r = resolveClaim(body);
      const institutionId = refId(r.claim.provider, 'Organization');
      if (!institutionId) throw new ApiError(400, 'invalid-request', 'Claim.provider must reference Organization/<institution id>', [{ path: 'Claim.provider', code: 'required', message: 'reference Organization/<institution id>' }]);
      scope.institution(institutionId);
      const [insts, catalog, policies, plan] = await Promise.all([institutionsById(services), catalogByCode(services), settlementPolicies(services), auditPlan(services)]);
      const inst = insts.get(institutionId);
      if (!inst) throw new ApiError(400, 'invalid-request', `unknown institution ${institutionId}`, [{ path: 'Claim.provider', code: 'unknown-institution', message: `no institution ${institutionId}` }]);
      const idNumber = nationalIdOf(r.patient);
      // The id number is replaced by its keyed pseudonym at once; only the pseudonym is used or stored in clear.
      const personId = idNumber ? pseudonymise(services.keys.pseudonymKey, idNumber) : `anon-${randomUUID()}`;
      const person = idNumber ? await services.store.getPerson(personId) : undefined;
      const scheme = person?.scheme ?? claimScheme(r);
      if (!scheme) throw new ApiError(400, 'invalid-request', 'the insurance scheme is unknown: the patient is not registered; add a Coverage (type employee|resident) or the insurance-scheme extension', [{ path: 'Claim.insurance', code: 'scheme-unknown', message: 'employee or resident?' }]);
      const { encounter, lines } = claimToDomain(r, {
        institutionId, personId, scheme,
        priceOf: (code) => catalog.get(code)?.priceCapFen || undefined,
        categoryOf: (code) => catalog.get(code)?.category,
        payClassOf: (code) => catalog.get(code)?.payClass,
      });
      const personType = person?.personType ?? defaultPersonType(scheme, encounter.ageYears);
      const { ytd } = person ? await yearToDateBefore(services, personId, personType, encounter) : { ytd: undefined };
      const settlement = settle({ encounter, lines, institutionLevel: inst.level, personType }, policyFor(policies, inst, encounter.dischargeDate, scheme), ytd, (code) => catalog.get(code));
      const violations = auditEncounter(plan, { encounter, institutionLevel: inst.level }, lines);
      const id = randomUUID();
      const created = services.clock().toISOString();
      await services.store.exec(
        `INSERT INTO fhir_claims (id, received_at, actor, institution_id, patient_pseudonym, payload_enc, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, created, principal.username, institutionId, personId, encryptField(services.keys.encryptionKey, JSON.stringify(body)), decisionOf(violations)] as SqlValue[],
      );
      await log({ action: 'create', resource: 'fhir-claim', resourceId: id, detail: { items: lines.length, findings: violations.length } });
      const response = toClaimResponse({ id, r, lines, settlement, violations, created });
      return c.body(JSON.stringify(response), 200, { 'content-type': FHIR_JSON });
    },
  }),
  route({
    id: 'fhir.eob', method: 'get', path: '/api/fhir/ExplanationOfBenefit/:id', tag: 'fhir', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: 'ExplanationOfBenefit of one stored encounter (settlement and audit findings)',
    params: IdParam,
    handler: async ({ c, services, scope, params, log }) => {
      const enc = await services.store.getEncounter(params.id);
      if (!enc) throw notFound(`encounter ${params.id}`);
      scope.assertVisible(enc.institutionId, enc.departmentId);
      const eob = await eobFor(services, enc);
      await log({ action: 'export', resource: 'explanation-of-benefit', resourceId: enc.id });
      return c.body(JSON.stringify(eob), 200, { 'content-type': FHIR_JSON });
    },
  }),
  route({
    id: 'fhir.eobSearch', method: 'get', path: '/api/fhir/ExplanationOfBenefit', tag: 'fhir', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: 'ExplanationOfBenefit export as a searchset Bundle (by institution and discharge dates)',
    query: z.object({
      institutionId: z.string().max(64).optional(), from: isoDate.optional(), to: isoDate.optional(),
      _count: z.coerce.number().int().min(1).max(100).default(20), _offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    }),
    handler: async ({ c, services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId);
      const conds: string[] = [];
      const p: SqlValue[] = [];
      if (inst) conds.push(`institution_id = $${p.push(inst)}`);
      if (query.from) conds.push(`discharge_date >= $${p.push(query.from)}`);
      if (query.to) conds.push(`discharge_date <= $${p.push(query.to)}`);
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      const [cnt] = await services.store.query(`SELECT COUNT(*) AS n FROM encounters${where}`, p);
      const rows = await services.store.query(`SELECT * FROM encounters${where} ORDER BY discharge_date, id LIMIT ${query._count} OFFSET ${query._offset}`, p);
      const entry = [];
      for (const r of rows) {
        const enc = toEncounter(r);
        try {
          entry.push({ fullUrl: `ExplanationOfBenefit/${enc.id}`, resource: await eobFor(services, enc), search: { mode: 'match' } });
        } catch (err) {
          // an encounter without a policy in force is reported in the bundle, not dropped
          if (!(err instanceof ApiError)) throw err;
          entry.push({ resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: `${enc.id}: ${err.message}` }] }, search: { mode: 'outcome' } });
        }
      }
      await log({ action: 'export', resource: 'explanation-of-benefit', resourceId: inst ?? '*', detail: { count: rows.length } });
      const bundle = { resourceType: 'Bundle', type: 'searchset', total: Number(cnt?.n ?? 0), entry };
      return c.body(JSON.stringify(bundle), 200, { 'content-type': FHIR_JSON });
    },
  }),
];
