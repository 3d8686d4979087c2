/** Smart audit 智能审核: the pre-order check (事前提醒) for the doctor workstation. */
import { z } from 'zod';
import { checkOrder, type OrderRequest } from '../../audit/index.js';
import { BENEFIT_TYPES, CHARGE_CATEGORIES, ENCOUNTER_KINDS, SCHEMES, SEXES } from '../../domain/index.js';
import { ApiError } from '../errors.js';
import { auditPlan, institutionsById } from '../engines.js';
import { isoDate, isoDateTime, route } from '../route.js';

const code = z.string().min(1).max(64);

export const OrderLineSchema = z.strictObject({
  itemCode: code,
  localCode: z.string().max(64).optional(),
  itemName: z.string().max(200).optional(),
  category: z.enum(CHARGE_CATEGORIES).optional(),
  quantity: z.number().positive().max(100_000),
  unitPriceFen: z.number().int().nonnegative().max(1e10).optional(),
  at: isoDateTime,
  doctorId: z.string().max(64).optional(),
});

export const OrderRequestSchema = z.strictObject({
  patient: z.strictObject({ sex: z.enum(SEXES), ageYears: z.number().int().min(0).max(130), ageDays: z.number().int().min(0).max(366).optional() }),
  encounter: z.strictObject({
    id: z.string().max(64).optional(),
    kind: z.enum(ENCOUNTER_KINDS),
    benefitType: z.enum(BENEFIT_TYPES).optional(),
    scheme: z.enum(SCHEMES).optional(),
    institutionId: z.string().min(1).max(64),
    departmentId: z.string().max(64).optional(),
    doctorId: z.string().min(1).max(64),
    admitDate: isoDate,
    diagnoses: z.array(code).max(50),
    procedures: z.array(code).max(50).optional(),
  }),
  order: OrderLineSchema,
  earlier: z.array(OrderLineSchema).max(500).optional(),
});

export const auditRoutes = [
  route({
    id: 'audit.check', method: 'post', path: '/api/audit/check', tag: 'audit', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer', 'department-head', 'doctor'],
    summary: 'Pre-order check 事前提醒: a proposed order for a patient → verdicts (block / refer / remind)',
    body: OrderRequestSchema,
    handler: async ({ services, scope, body, record }) => {
      scope.institution(body.encounter.institutionId);
      if (body.encounter.departmentId) scope.department(body.encounter.departmentId);
      // The institution level comes from the store, not the client, so a request cannot dodge 限医疗机构级别.
      const inst = (await institutionsById(services)).get(body.encounter.institutionId);
      if (!inst) throw new ApiError(400, 'invalid-request', `unknown institution ${body.encounter.institutionId}`, [{ path: 'body.encounter.institutionId', code: 'unknown-institution', message: `no institution ${body.encounter.institutionId}` }]);
      const plan = await auditPlan(services);
      const req = { ...body, encounter: { ...body.encounter, institutionLevel: inst.level } } as OrderRequest;
      const result = checkOrder(plan, req);
      // Read-only and on the doctor's critical path: logged without waiting for the commit (docs/security.md).
      record({ action: 'check', resource: 'pre-order', resourceId: body.encounter.id ?? '', detail: { item: body.order.itemCode, decision: result.decision } });
      return result;
    },
  }),
];
