/** DRG: grouping with trace, pre-discharge prediction, and the DRG board (CMI, indices, margins). */
import { z } from 'zod';
import { DISCHARGE_TYPES, SEXES } from '../../domain/index.js';
import { chooseScheme, computeIndicators, group, loadPaymentParams, listSchemes, predictStay, type DrgCase } from '../../drg/index.js';
import type { SqlValue } from '../../store/store.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { drgReferences, drgScheme } from '../engines.js';
import { isoDate, Paging, route } from '../route.js';

const code = z.string().min(1).max(64);
export const DrgCaseSchema = z.strictObject({
  id: z.string().max(64).default('case'),
  sex: z.enum(SEXES),
  ageYears: z.number().int().min(0).max(130),
  ageDays: z.number().int().min(0).max(366).default(0),
  birthWeightGrams: z.number().int().min(0).max(10_000).default(0),
  losDays: z.number().int().min(0).max(3650),
  dischargeType: z.enum(DISCHARGE_TYPES).default('1'),
  dischargeDate: isoDate,
  deptCode: z.string().max(32).default(''),
  diagnoses: z.array(code).min(1).max(50),
  procedures: z.array(code).max(50).default([]),
  /** scheme name; default by discharge date (CHS-DRG 2.0 from 2025-01-01) */
  scheme: z.string().max(64).optional(),
});
type DrgCaseBody = z.infer<typeof DrgCaseSchema>;

const GROUPERS = ['bureau-auditor', 'hospital-insurance-officer', 'cost-accountant', 'department-head', 'doctor'] as const;

function toDrgCase(b: DrgCaseBody): DrgCase {
  return {
    id: b.id, gender: b.sex, age: b.ageYears, ageDays: b.ageDays, weightGrams: b.birthWeightGrams, dept: b.deptCode,
    losDays: b.losDays, dischargeType: b.dischargeType, diagnoses: b.diagnoses, procedures: b.procedures,
  };
}

async function schemeFor(services: Services, b: { scheme?: string | undefined; dischargeDate: string }) {
  const name = b.scheme ?? chooseScheme(b.dischargeDate);
  if (b.scheme && !listSchemes().some((s) => s.name === b.scheme)) {
    throw new ApiError(400, 'invalid-request', `unknown scheme ${b.scheme}`, [{ path: 'body.scheme', code: 'unknown-scheme', message: `known: ${listSchemes().map((s) => s.name).join(', ')}` }]);
  }
  return { name, scheme: await drgScheme(services, name) };
}

const num = (v: SqlValue | undefined) => Number(v ?? 0);

export const drgRoutes = [
  route({
    id: 'drg.group', method: 'post', path: '/api/drg/group', tag: 'drg', access: GROUPERS,
    summary: 'Group one case (CHS-DRG 1.1 / 2.0) with the full trace 分组',
    body: DrgCaseSchema,
    handler: async ({ services, body, log }) => {
      const { name, scheme } = await schemeFor(services, body);
      const result = group(toDrgCase(body), scheme);
      await log({ action: 'check', resource: 'drg-group', resourceId: body.id, detail: { scheme: name, drg: result.drg } });
      return { scheme: name, result, drgName: scheme.drgInfo.get(result.drg)?.name ?? '' };
    },
  }),
  route({
    id: 'drg.predict', method: 'post', path: '/api/drg/predict', tag: 'drg', access: GROUPERS,
    summary: 'Pre-discharge prediction 出院前预测: likely DRG, standard payment, projected margin, warning',
    body: DrgCaseSchema.extend({ costSoFarFen: z.number().int().nonnegative().max(1e12), daysSoFar: z.number().int().min(1).max(3650) }),
    handler: async ({ services, body, log }) => {
      const { name, scheme } = await schemeFor(services, body);
      const refs = await drgReferences(services, name);
      if (!refs || refs.ratePerWeightFen === undefined) {
        throw new ApiError(422, 'no-weights', `no DRG weights or rate stored for ${name}: run \`medfund demo\` (or the DRG step) first (尚未计算权重与费率)`);
      }
      const params = loadPaymentParams({ scheme: name, date: body.dischargeDate });
      const prediction = predictStay({ case: toDrgCase(body), costSoFarFen: body.costSoFarFen, daysSoFar: body.daysSoFar }, scheme, refs.references, refs.ratePerWeightFen, params);
      await log({ action: 'check', resource: 'drg-predict', resourceId: body.id, detail: { scheme: name, drg: prediction.group.drg, warning: prediction.warning } });
      return { scheme: name, weightsVersion: refs.version, prediction };
    },
  }),
  route({
    id: 'dashboards.drgBoard', method: 'get', path: '/api/dashboards/drg-board', tag: 'dashboards',
    access: ['bureau-auditor', 'hospital-insurance-officer', 'cost-accountant', 'department-head'],
    summary: 'DRG board DRG核心指标看板: CMI, cost and time indices, margins by DRG and department',
    query: z.object({ institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(), scheme: z.string().max(64).optional(), from: isoDate.optional(), to: isoDate.optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const schemes = await services.store.query(`SELECT scheme, COUNT(*) AS n FROM drg_results GROUP BY scheme ORDER BY n DESC, scheme`);
      const scheme = query.scheme ?? (schemes[0] ? String(schemes[0].scheme) : 'chs-drg-2.0');
      const conds = ['r.scheme = $1'];
      const p: SqlValue[] = [scheme];
      if (inst) conds.push(`r.institution_id = $${p.push(inst)}`);
      if (dept) conds.push(`r.department_id = $${p.push(dept)}`);
      if (query.from) conds.push(`r.discharge_date >= $${p.push(query.from)}`);
      if (query.to) conds.push(`r.discharge_date <= $${p.push(query.to)}`);
      const where = conds.join(' AND ');
      const rows = await services.store.query(
        `SELECT r.institution_id, r.department_id, r.drg, r.status, r.cost_fen, r.los_days, r.payment_fen, r.margin_fen, r.weight, e.discharge_type
           FROM drg_results r LEFT JOIN encounters e ON e.id = r.encounter_id WHERE ${where}`, p);
      const refs = (await drgReferences(services, scheme))?.references ?? new Map();
      const baseQuery = { scheme, ...(inst ? { institutionId: inst } : {}), ...(dept ? { departmentId: dept } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
      const cases = rows.map((r) => ({ r, ic: { groupKey: '', status: String(r.status), drg: String(r.drg), costFen: num(r.cost_fen), losDays: num(r.los_days), died: r.discharge_type === '5' } }));
      const [overall] = computeIndicators(cases.map((c) => ({ ...c.ic, groupKey: 'all' })), refs);
      const byDeptInd = computeIndicators(cases.map((c) => ({ ...c.ic, groupKey: `${String(c.r.institution_id)}/${String(c.r.department_id)}` })), refs);
      const money = new Map<string, { payment: number; cost: number; margin: number; n: number }>();
      const add = (k: string, r: (typeof rows)[number]) => {
        const m = money.get(k) ?? { payment: 0, cost: 0, margin: 0, n: 0 };
        m.payment += num(r.payment_fen);
        m.cost += num(r.cost_fen);
        m.margin += num(r.margin_fen);
        m.n += 1;
        money.set(k, m);
      };
      for (const r of rows) {
        add(`drg:${String(r.drg)}`, r);
        add(`dept:${String(r.institution_id)}/${String(r.department_id)}`, r);
        add('all', r);
      }
      const all = money.get('all') ?? { payment: 0, cost: 0, margin: 0, n: 0 };
      const drgs = [...new Set(rows.map((r) => String(r.drg)))].sort();
      const scheme_ = await drgScheme(services, scheme).catch(() => undefined);
      return {
        scheme,
        schemes: schemes.map((s) => ({ scheme: s.scheme, cases: num(s.n) })),
        overall: {
          cases: all.n, groupedCases: overall?.groupedCases ?? 0, drgCount: overall?.drgCount ?? 0, totalWeight: overall?.totalWeight ?? 0,
          cmi: overall?.cmi ?? 0, costIndex: overall?.costIndex ?? 0, timeIndex: overall?.timeIndex ?? 0,
          paymentFen: all.payment, costFen: all.cost, marginFen: all.margin,
          drill: { path: '/api/dashboards/drg-board/rows', query: baseQuery },
        },
        byDrg: drgs.map((d) => {
          const m = money.get(`drg:${d}`)!;
          return {
            drg: d, name: scheme_?.drgInfo.get(d)?.name ?? '', cases: m.n, weight: refs.get(d)?.weight ?? null, paymentFen: m.payment, costFen: m.cost, marginFen: m.margin,
            drill: { path: '/api/dashboards/drg-board/rows', query: { ...baseQuery, drg: d } },
          };
        }).sort((a, b) => a.marginFen - b.marginFen || (a.drg < b.drg ? -1 : 1)),
        byDepartment: byDeptInd.map((ind) => {
          const m = money.get(`dept:${ind.groupKey}`)!;
          const [institutionId, departmentId] = ind.groupKey.split('/') as [string, string];
          return {
            institutionId, departmentId, cases: ind.cases, cmi: ind.cmi, costIndex: ind.costIndex, timeIndex: ind.timeIndex,
            paymentFen: m.payment, costFen: m.cost, marginFen: m.margin,
            drill: { path: '/api/dashboards/drg-board/rows', query: { ...baseQuery, institutionId, departmentId } },
          };
        }),
      };
    },
  }),
  route({
    id: 'dashboards.drgBoardRows', method: 'get', path: '/api/dashboards/drg-board/rows', tag: 'dashboards', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer', 'cost-accountant', 'department-head'],
    summary: 'Cases behind a DRG-board figure (drill-down) 下钻明细',
    query: z.object({
      scheme: z.string().max(64), institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(), drg: z.string().max(16).optional(),
      from: isoDate.optional(), to: isoDate.optional(), ...Paging,
    }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const conds = ['scheme = $1'];
      const p: SqlValue[] = [query.scheme];
      if (inst) conds.push(`institution_id = $${p.push(inst)}`);
      if (dept) conds.push(`department_id = $${p.push(dept)}`);
      if (query.drg) conds.push(`drg = $${p.push(query.drg)}`);
      if (query.from) conds.push(`discharge_date >= $${p.push(query.from)}`);
      if (query.to) conds.push(`discharge_date <= $${p.push(query.to)}`);
      const where = ` WHERE ${conds.join(' AND ')}`;
      const [agg] = await services.store.query(`SELECT COUNT(*) AS n, SUM(payment_fen) AS pay, SUM(cost_fen) AS cost, SUM(margin_fen) AS margin FROM drg_results${where}`, p);
      const rows = await services.store.query(`SELECT * FROM drg_results${where} ORDER BY margin_fen, encounter_id LIMIT ${query.limit} OFFSET ${query.offset}`, p);
      await log({ action: 'read', resource: 'drg-results', resourceId: inst ?? '*', detail: { rows: rows.length } });
      return {
        rows: rows.map((r) => ({
          encounterId: r.encounter_id, institutionId: r.institution_id, departmentId: r.department_id, doctorId: r.doctor_id, dischargeDate: r.discharge_date,
          status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg, weight: num(r.weight), standardPaymentFen: num(r.standard_payment_fen), paymentFen: num(r.payment_fen),
          caseType: r.case_type, costFen: num(r.cost_fen), marginFen: num(r.margin_fen), losDays: num(r.los_days),
        })),
        total: num(agg?.n), paymentFen: num(agg?.pay), costFen: num(agg?.cost), marginFen: num(agg?.margin), limit: query.limit, offset: query.offset,
      };
    },
  }),
];
