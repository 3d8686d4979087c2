/**
 * Cost cockpit 成本驾驶舱 (hospital-internal: not for the bureau): department cost structure after
 * step-down allocation, budget vs actual, DRG cost-benefit — from the newest stored costing run
 * (`medfund cost` / demo) of the institution and year — each with a drill-down to its rows.
 */
import { z } from 'zod';
import type { SqlValue } from '../../store/store.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { Paging, route } from '../route.js';

const num = (v: SqlValue | undefined) => Number(v ?? 0);
const COSTING = ['cost-accountant', 'department-head', 'hospital-insurance-officer'] as const;
const year = z.string().regex(/^\d{4}$/, 'expected a year YYYY');

async function costRun(services: Services, institutionId: string, period: string): Promise<string> {
  const [r] = await services.store.query(`SELECT run_id FROM cost_runs WHERE institution_id = $1 AND period = $2 ORDER BY created_at DESC, run_id LIMIT 1`, [institutionId, period]);
  if (!r) throw new ApiError(404, 'not-found', `no costing run for ${institutionId} in ${period}: run \`medfund cost --period ${period}\` (尚无成本核算结果)`);
  return String(r.run_id);
}

export const costingRoutes = [
  route({
    id: 'costing.departments', method: 'get', path: '/api/costing/departments', tag: 'costing', access: COSTING,
    summary: 'Imported monthly department costs 科室成本 (direct / indirect by cost item), before allocation',
    query: z.object({
      institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(),
      year: year.optional(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM').optional(),
    }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const monthFrom = query.month ?? (query.year ? `${query.year}-01` : undefined);
      const monthTo = query.month ?? (query.year ? `${query.year}-12` : undefined);
      const rows = (await services.store.listDepartmentCosts({ ...(inst ? { institutionId: inst } : {}), ...(monthFrom ? { monthFrom } : {}), ...(monthTo ? { monthTo } : {}) }))
        .filter((r) => !dept || r.departmentId === dept);
      const names = new Map((await services.store.listDepartments(inst)).map((d) => [d.id, d]));
      const totalFen = rows.reduce((a, r) => a + r.amountFen, 0);
      return {
        rows: rows.map((r) => ({ ...r, departmentName: names.get(r.departmentId)?.name ?? '', costCategory: names.get(r.departmentId)?.costCategory ?? null })),
        total: rows.length, totalFen,
      };
    },
  }),
  route({
    id: 'dashboards.costCockpit', method: 'get', path: '/api/dashboards/cost-cockpit', tag: 'dashboards', access: COSTING,
    summary: '成本驾驶舱 Cost cockpit: department cost structure, budget vs actual, DRG cost-benefit',
    query: z.object({ year, institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      if (!inst) throw new ApiError(400, 'invalid-request', 'institutionId is required', [{ path: 'query.institutionId', code: 'required', message: 'the cost cockpit is per institution' }]);
      const dept = scope.department(query.departmentId);
      const runId = await costRun(services, inst, query.year);
      const base = { year: query.year, institutionId: inst, ...(dept ? { departmentId: dept } : {}) };
      const p: SqlValue[] = [runId, inst];
      const deptCond = dept ? ` AND department_id = $${p.push(dept)}` : '';
      const structure = await services.store.query(
        `SELECT department_id, cost_category, cost_item, SUM(direct_fen) AS direct, SUM(full_fen) AS full FROM cost_department_results
          WHERE run_id = $1 AND institution_id = $2${deptCond} GROUP BY department_id, cost_category, cost_item ORDER BY department_id, cost_item`, p);
      const bp: SqlValue[] = [runId, inst];
      const bCond = dept ? ` AND center_id = $${bp.push(dept)}` : '';
      const budget = await services.store.query(
        `SELECT center_id, granularity, period, SUM(budget_fen) AS budget, SUM(actual_fen) AS actual, SUM(variance_fen) AS variance
           FROM cost_budget_results WHERE run_id = $1 AND institution_id = $2 AND granularity = 'month'${bCond}
          GROUP BY center_id, granularity, period ORDER BY center_id, period`, bp);
      const dp: SqlValue[] = [runId, inst];
      // department heads see the cost-benefit of their own department's cases only
      const dCond = dept ? ` AND dimension = 'department' AND key = $${dp.push(dept)}` : ` AND dimension = 'drg'`;
      const benefit = await services.store.query(
        `SELECT key, drg, cases, cost_fen, payment_fen, denied_fen, margin_fen, margin_rate FROM cost_drg_benefit WHERE run_id = $1 AND institution_id = $2${dCond} ORDER BY margin_fen, drg`, dp);
      return {
        ...base, runId,
        departments: structure.map((r) => ({
          departmentId: r.department_id, costCategory: r.cost_category, costItem: r.cost_item, directFen: num(r.direct), fullFen: num(r.full),
          drill: { path: '/api/dashboards/cost-cockpit/rows', query: { ...base, kind: 'department', departmentId: r.department_id } },
        })),
        budget: budget.map((r) => ({
          centerId: r.center_id, period: r.period, budgetFen: num(r.budget), actualFen: num(r.actual), varianceFen: num(r.variance),
          drill: { path: '/api/dashboards/cost-cockpit/rows', query: { ...base, kind: 'budget', departmentId: r.center_id, period: r.period } },
        })),
        drgBenefit: benefit.map((r) => ({
          key: r.key, drg: r.drg, cases: num(r.cases), costFen: num(r.cost_fen), paymentFen: num(r.payment_fen), deniedFen: num(r.denied_fen),
          marginFen: num(r.margin_fen), marginRate: r.margin_rate === null ? null : Number(r.margin_rate),
          drill: { path: '/api/dashboards/cost-cockpit/rows', query: { ...base, kind: 'drg', drg: r.drg } },
        })),
      };
    },
  }),
  route({
    id: 'dashboards.costCockpitRows', method: 'get', path: '/api/dashboards/cost-cockpit/rows', tag: 'dashboards', access: COSTING,
    summary: 'Rows behind a cost-cockpit figure (drill-down): cost items of a department, budget lines, or the cases of a DRG',
    query: z.object({
      year, kind: z.enum(['department', 'budget', 'drg']), institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(),
      period: z.string().max(16).optional(), drg: z.string().max(16).optional(), ...Paging,
    }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId);
      if (!inst) throw new ApiError(400, 'invalid-request', 'institutionId is required', [{ path: 'query.institutionId', code: 'required', message: 'the cost cockpit is per institution' }]);
      const dept = scope.department(query.departmentId);
      const runId = await costRun(services, inst, query.year);
      const p: SqlValue[] = [runId, inst];
      const lim = ` LIMIT ${query.limit} OFFSET ${query.offset}`;
      if (query.kind === 'department') {
        const c = dept ? ` AND department_id = $${p.push(dept)}` : '';
        const rows = await services.store.query(`SELECT * FROM cost_department_results WHERE run_id = $1 AND institution_id = $2${c} ORDER BY department_id, cost_item${lim}`, p);
        return { kind: query.kind, rows: rows.map((r) => ({ departmentId: r.department_id, costCategory: r.cost_category, costItem: r.cost_item, directFen: num(r.direct_fen), receivedL1Fen: num(r.received_l1_fen), receivedL2Fen: num(r.received_l2_fen), receivedL3Fen: num(r.received_l3_fen), allocatedOutFen: num(r.allocated_out_fen), fullFen: num(r.full_fen) })) };
      }
      if (query.kind === 'budget') {
        let c = dept ? ` AND center_id = $${p.push(dept)}` : '';
        if (query.period) c += ` AND period = $${p.push(query.period)}`;
        const rows = await services.store.query(`SELECT * FROM cost_budget_results WHERE run_id = $1 AND institution_id = $2${c} ORDER BY center_id, period, cost_item${lim}`, p);
        return { kind: query.kind, rows: rows.map((r) => ({ centerId: r.center_id, costItem: r.cost_item, period: r.period, granularity: r.granularity, budgetFen: num(r.budget_fen), actualFen: num(r.actual_fen), varianceFen: num(r.variance_fen), forecastFen: r.forecast_fen === null ? null : num(r.forecast_fen), status: r.status, basis: r.basis })) };
      }
      let c = dept ? ` AND department_id = $${p.push(dept)}` : '';
      if (query.drg) c += ` AND drg = $${p.push(query.drg)}`;
      const rows = await services.store.query(`SELECT * FROM cost_case_results WHERE run_id = $1 AND institution_id = $2${c} ORDER BY encounter_id${lim}`, p);
      await log({ action: 'read', resource: 'cost-cases', resourceId: inst, detail: { rows: rows.length } });
      return { kind: query.kind, rows: rows.map((r) => ({ encounterId: r.encounter_id, departmentId: r.department_id, doctorId: r.doctor_id, kind: r.kind, drg: r.drg, drugFen: num(r.drug_fen), materialFen: num(r.material_fen), serviceFen: num(r.service_fen), totalFen: num(r.total_fen), paymentFen: num(r.payment_fen), deniedFen: num(r.denied_fen) })) };
    },
  }),
];
