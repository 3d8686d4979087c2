/**
 * Settlement simulation 模拟结算: settle a stored encounter (with the person's year-to-date
 * accumulators rebuilt from their earlier encounters that year) or an encounter in progress given
 * inline, under the policy in force for the institution's pooling region on the discharge date.
 */
import { z } from 'zod';
import { BENEFIT_TYPES, CHARGE_CATEGORIES, ENCOUNTER_KINDS, lineAmountFen, PAY_CLASSES, PERSON_TYPES, SCHEMES, SEXES, type Encounter, type PersonType, type Institution, type SettlementLine } from '../../domain/index.js';
import { ASSISTANCE_CATEGORIES, explainSettlement, selectPolicy, settle, type Policy, type SettlementResult, type YearToDate, STAND_IN_POLICIES } from '../../settlement/index.js';
import { toEncounter } from '../../store/base.js';
// the stand-in policy choice of the settlement demo step (one rule for stored and simulated settlements)
import type { Services } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { catalogByCode, institutionsById, settlementPolicies } from '../engines.js';
import { isoDate, route } from '../route.js';

const InlineLine = z.strictObject({
  id: z.string().min(1).max(64).optional(),
  itemCode: z.string().min(1).max(64),
  category: z.enum(CHARGE_CATEGORIES).optional(),
  payClass: z.enum(PAY_CLASSES).optional(),
  quantity: z.number().positive().max(100_000),
  unitPriceFen: z.number().int().nonnegative().max(1e10).optional(),
});

export const SimulateSchema = z.union([
  z.strictObject({ encounterId: z.string().min(1).max(64), useAccount: z.boolean().optional() }),
  z.strictObject({
    institutionId: z.string().min(1).max(64),
    encounter: z.strictObject({
      id: z.string().max(64).default('simulation'),
      kind: z.enum(ENCOUNTER_KINDS),
      benefitType: z.enum(BENEFIT_TYPES).default('general'),
      scheme: z.enum(SCHEMES),
      sex: z.enum(SEXES),
      ageYears: z.number().int().min(0).max(130),
      dischargeDate: isoDate,
      diagnoses: z.array(z.string().min(1).max(64)).min(1).max(50),
    }),
    personType: z.enum(PERSON_TYPES),
    assistanceCategory: z.enum(ASSISTANCE_CATEGORIES).optional(),
    useAccount: z.boolean().optional(),
    lines: z.array(InlineLine).max(5000),
  }),
]);

/** The stand-in policy, only for a region that has no policy set of its own at all. */
function standIn(policies: Policy[], regionCode: string, scheme: Encounter['scheme']): Policy | undefined {
  if (policies.some((x) => x.region.code === regionCode)) return undefined;
  return policies.find((x) => x.id === STAND_IN_POLICIES[scheme]);
}

/**
 * The policy in force for the institution's pooling region on the date. A region without a policy
 * set of its own (the synthetic demo region) uses the same stand-in real policy sets as the
 * settlement demo step (STAND_IN_POLICIES), so a simulation equals the stored settlement.
 */
export function policyFor(policies: Policy[], inst: Institution, date: string, scheme: Encounter['scheme']): Policy {
  const p = selectPolicy(policies, inst.regionCode, date, scheme) ?? standIn(policies, inst.regionCode, scheme);
  if (!p) {
    throw new ApiError(422, 'no-policy', `no settlement policy for region ${inst.regionCode}, scheme ${scheme} on ${date} (无适用结算政策)`, [
      { path: 'encounter.dischargeDate', code: 'no-policy', message: `no policy in force for region ${inst.regionCode} on ${date}` },
    ]);
  }
  return p;
}

/**
 * The person's accumulators (起付线/共付段/封顶线 used so far) before this encounter, rebuilt by
 * settling their earlier encounters (in admission order, as the settlement demo step does) that are
 * discharged in the same year.
 */
export async function yearToDateBefore(services: Services, personId: string, personType: PersonType, before: { admitDate: string; id: string; dischargeDate: string }): Promise<{ ytd: YearToDate | undefined; earlier: number }> {
  const [insts, policies, catalog] = await Promise.all([institutionsById(services), settlementPolicies(services), catalogByCode(services)]);
  const history = (
    await services.store.query(
      `SELECT * FROM encounters WHERE person_id = $1 AND discharge_date >= $2 AND (admit_date < $3 OR (admit_date = $3 AND id < $4)) ORDER BY admit_date, id`,
      [personId, `${before.dischargeDate.slice(0, 4)}-01-01`, before.admitDate, before.id],
    )
  ).map(toEncounter);
  let ytd: YearToDate | undefined;
  for (const h of history) {
    const inst = insts.get(h.institutionId);
    if (!inst) continue;
    const p = selectPolicy(policies, inst.regionCode, h.dischargeDate, h.scheme) ?? standIn(policies, inst.regionCode, h.scheme);
    if (!p) continue;
    const hl = await services.store.getLines(h.id);
    ytd = settle({ encounter: h, lines: hl, institutionLevel: inst.level, personType }, p, ytd, (code) => catalog.get(code)).ytd;
  }
  return { ytd, earlier: history.length };
}

export function defaultPersonType(scheme: Encounter['scheme'], ageYears: number): PersonType {
  if (scheme === 'employee') return ageYears >= 60 ? 'retired' : 'in-service';
  return ageYears < 18 ? 'child' : ageYears >= 60 ? 'elderly' : 'adult';
}

/** Settle a stored encounter after the person's earlier encounters of the same year. */
export async function settleStoredEncounter(services: Services, enc: Encounter, useAccount?: boolean): Promise<{ result: SettlementResult; lines: SettlementLine[]; earlier: number }> {
  const [insts, policies, catalog] = await Promise.all([institutionsById(services), settlementPolicies(services), catalogByCode(services)]);
  const person = await services.store.getPerson(enc.personId);
  const personType = person?.personType ?? defaultPersonType(enc.scheme, enc.ageYears);
  const { ytd, earlier } = await yearToDateBefore(services, enc.personId, personType, enc);
  const inst = insts.get(enc.institutionId);
  if (!inst) throw notFound(`institution ${enc.institutionId}`);
  const lines = await services.store.getLines(enc.id);
  const result = settle({ encounter: enc, lines, institutionLevel: inst.level, personType, useAccount }, policyFor(policies, inst, enc.dischargeDate, enc.scheme), ytd, (code) => catalog.get(code));
  return { result, lines, earlier };
}

export const settlementRoutes = [
  route({
    id: 'settlement.simulate', method: 'post', path: '/api/settlement/simulate', tag: 'settlement', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer', 'doctor'],
    summary: 'Simulated settlement 模拟结算 of a stored encounter or an encounter in progress',
    body: SimulateSchema,
    handler: async ({ services, scope, body, log }) => {
      if ('encounterId' in body) {
        const [row] = await services.store.query(`SELECT * FROM encounters WHERE id = $1`, [body.encounterId]);
        if (!row) throw notFound(`encounter ${body.encounterId}`);
        const enc = toEncounter(row);
        scope.assertVisible(enc.institutionId, enc.departmentId);
        const { result, earlier } = await settleStoredEncounter(services, enc, body.useAccount);
        await log({ action: 'read', resource: 'settlement', resourceId: enc.id });
        return { result, explanation: explainSettlement(result), earlierEncountersThisYear: earlier };
      }
      scope.institution(body.institutionId);
      const [insts, policies, catalog] = await Promise.all([institutionsById(services), settlementPolicies(services), catalogByCode(services)]);
      const inst = insts.get(body.institutionId);
      if (!inst) throw new ApiError(400, 'invalid-request', `unknown institution ${body.institutionId}`, [{ path: 'body.institutionId', code: 'unknown-institution', message: `no institution ${body.institutionId}` }]);
      const issues: { path: string; code: string; message: string }[] = [];
      const lines = body.lines.map((l, i) => {
        const item = catalog.get(l.itemCode);
        const unitPriceFen = l.unitPriceFen ?? item?.priceCapFen;
        if (unitPriceFen === undefined || (!item && (!l.category || !l.payClass))) {
          issues.push({ path: `body.lines[${i}]`, code: 'unknown-item', message: `${l.itemCode} is not in the catalog: give category, payClass and unitPriceFen` });
        }
        const price = unitPriceFen ?? 0;
        return {
          id: l.id ?? `line-${i + 1}`, itemCode: l.itemCode, category: l.category ?? item?.category ?? 'service', payClass: l.payClass ?? item?.payClass ?? 'C',
          quantity: l.quantity, unitPriceFen: price, amountFen: lineAmountFen(l.quantity, price),
        };
      });
      if (issues.length) throw new ApiError(400, 'invalid-request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
      const policy = policyFor(policies, inst, body.encounter.dischargeDate, body.encounter.scheme);
      const result = settle(
        { encounter: body.encounter, lines, institutionLevel: inst.level, personType: body.personType, assistanceCategory: body.assistanceCategory, useAccount: body.useAccount },
        policy, undefined, (code) => catalog.get(code),
      );
      await log({ action: 'check', resource: 'settlement-simulation', resourceId: body.encounter.id });
      return { result, explanation: explainSettlement(result), earlierEncountersThisYear: 0 };
    },
  }),
];
