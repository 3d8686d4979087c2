/**
 * Dashboards 看板: the aggregates the web pages draw. Every figure carries `drill` — the API call
 * that returns the rows behind it — and the rows sum back to the figure.
 *
 * Fund map sources: fund spending 基金支出 = Σ fund_total_fen of the stored settlement results (the
 * newest settlement run), by institution and discharge month; budget 预算 = the monthly share of the
 * global budget (总额预算) in clearing_results; hot spots = violations by institution × type. When no
 * settlement run is stored yet, spending falls back to total charges (医疗总费用) and says so.
 */
import { z } from 'zod';
import type { SqlValue } from '../../store/store.js';
import type { Services } from '../context.js';
import { isoMonth, Paging, route } from '../route.js';

const num = (v: SqlValue | undefined) => Number(v ?? 0);
const year = z.string().regex(/^\d{4}$/, 'expected a year YYYY');

/** The settlement run the dashboards read: the newest one with results in the year, if any. */
export async function settlementRunFor(services: Services, y: string): Promise<string | undefined> {
  const [r] = await services.store.query(
    `SELECT r.run_id FROM settlement_runs r WHERE EXISTS (SELECT 1 FROM settlement_results s WHERE s.run_id = r.run_id AND s.month >= $1 AND s.month <= $2) ORDER BY r.created_at DESC, r.run_id LIMIT 1`,
    [`${y}-01`, `${y}-12`],
  );
  return r ? String(r.run_id) : undefined;
}

export const dashboardRoutes = [
  route({
    id: 'dashboards.fundMap', method: 'get', path: '/api/dashboards/fund-map', tag: 'dashboards',
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: '基金运行一张图 Fund operation map: spending vs budget by institution × month, violation hot spots',
    query: z.object({ year, institutionId: z.string().max(64).optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const runId = await settlementRunFor(services, query.year);
      let cells: Array<{ institutionId: string; month: string; encounters: number; spendingFen: number; totalFen: number }>;
      if (runId) {
        const p: SqlValue[] = [runId, `${query.year}-01`, `${query.year}-12`];
        const instCond = inst ? ` AND institution_id = $${p.push(inst)}` : '';
        cells = (await services.store.query(
          `SELECT institution_id, month, COUNT(*) AS n, SUM(fund_total_fen) AS fund, SUM(total_fen) AS total FROM settlement_results
            WHERE run_id = $1 AND month >= $2 AND month <= $3${instCond} GROUP BY institution_id, month ORDER BY institution_id, month`, p,
        )).map((r) => ({ institutionId: String(r.institution_id), month: String(r.month), encounters: num(r.n), spendingFen: num(r.fund), totalFen: num(r.total) }));
      } else {
        const p: SqlValue[] = [`${query.year}-01-01`, `${query.year}-12-31`];
        const instCond = inst ? ` AND e.institution_id = $${p.push(inst)}` : '';
        cells = (await services.store.query(
          `SELECT e.institution_id, SUBSTR(e.discharge_date, 1, 7) AS month, COUNT(DISTINCT e.id) AS n, SUM(l.amount_fen) AS total
             FROM encounters e JOIN settlement_lines l ON l.encounter_id = e.id
            WHERE e.discharge_date >= $1 AND e.discharge_date <= $2${instCond}
            GROUP BY e.institution_id, SUBSTR(e.discharge_date, 1, 7) ORDER BY e.institution_id, month`, p,
        )).map((r) => ({ institutionId: String(r.institution_id), month: String(r.month), encounters: num(r.n), spendingFen: num(r.total), totalFen: num(r.total) }));
      }
      // monthly budgets from the global-budget clearing of the year (detail.months[].monthlyBudgetFen)
      const budgets = new Map<string, number>();
      const annualBudget = new Map<string, number>();
      {
        const p: SqlValue[] = [query.year];
        const instCond = inst ? ` AND institution_id = $${p.push(inst)}` : '';
        const runCond = runId ? ` AND run_id = $${p.push(runId)}` : '';
        for (const r of await services.store.query(`SELECT institution_id, budget_fen, detail FROM clearing_results WHERE period = $1 AND method = 'global-budget'${instCond}${runCond}`, p)) {
          annualBudget.set(String(r.institution_id), num(r.budget_fen));
          try {
            const d = JSON.parse(String(r.detail)) as { months?: Array<{ month: number; monthlyBudgetFen: number }> };
            for (const m of d.months ?? []) budgets.set(`${String(r.institution_id)}|${query.year}-${String(m.month).padStart(2, '0')}`, m.monthlyBudgetFen);
          } catch {
            // a clearing row without monthly detail still has its annual budget
          }
        }
      }
      const hp: SqlValue[] = [`${query.year}-01-01`, `${query.year}-12-31`];
      const hotInst = inst ? ` AND v.institution_id = $${hp.push(inst)}` : '';
      const hotspots = await services.store.query(
        `SELECT v.institution_id, v.type, COUNT(*) AS n, COUNT(DISTINCT v.encounter_id) AS encounters, SUM(v.amount_fen) AS amount
           FROM violations v JOIN encounters e ON e.id = v.encounter_id
          WHERE e.discharge_date >= $1 AND e.discharge_date <= $2${hotInst}
          GROUP BY v.institution_id, v.type ORDER BY amount DESC, v.institution_id, v.type`, hp,
      );
      const institutions = (await services.store.listInstitutions()).filter((i) => !inst || i.id === inst).map((i) => ({ id: i.id, name: i.name, level: i.level, annualBudgetFen: annualBudget.get(i.id) ?? null }));
      return {
        year: query.year,
        spendingBasis: runId ? 'fund-payment' : 'total-charges',
        settlementRunId: runId ?? null,
        institutions,
        months: Array.from({ length: 12 }, (_, i) => `${query.year}-${String(i + 1).padStart(2, '0')}`),
        cells: cells.map((c) => ({
          ...c,
          budgetFen: budgets.get(`${c.institutionId}|${c.month}`) ?? null,
          drill: { path: '/api/dashboards/fund-map/rows', query: { institutionId: c.institutionId, month: c.month } },
        })),
        hotspots: hotspots.map((r) => ({
          institutionId: r.institution_id, type: r.type, violations: num(r.n), encounters: num(r.encounters), amountFen: num(r.amount),
          drill: { path: '/api/audit/violations', query: { institutionId: r.institution_id, type: r.type, year: query.year } },
        })),
      };
    },
  }),
  route({
    id: 'dashboards.fundMapRows', method: 'get', path: '/api/dashboards/fund-map/rows', tag: 'dashboards', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: 'Encounters behind one fund-map cell (drill-down) 下钻明细; rows sum to the cell',
    query: z.object({ institutionId: z.string().min(1).max(64), month: isoMonth, ...Paging }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId) ?? query.institutionId;
      const runId = await settlementRunFor(services, query.month.slice(0, 4));
      let out;
      if (runId) {
        const w = `FROM settlement_results WHERE run_id = $1 AND institution_id = $2 AND month = $3`;
        const p = [runId, inst, query.month];
        const [agg] = await services.store.query(`SELECT COUNT(*) AS n, SUM(fund_total_fen) AS fund, SUM(total_fen) AS total ${w}`, p);
        const rows = await services.store.query(`SELECT * ${w} ORDER BY fund_total_fen DESC, encounter_id LIMIT ${query.limit} OFFSET ${query.offset}`, p);
        out = {
          rows: rows.map((r) => ({
            encounterId: r.encounter_id, departmentId: r.department_id, kind: r.kind, dischargeDate: r.discharge_date, losDays: num(r.los_days),
            policyId: r.policy_id, totalFen: num(r.total_fen), spendingFen: num(r.fund_total_fen), patientFen: num(r.patient_fen),
          })),
          total: num(agg?.n), spendingFen: num(agg?.fund), totalFen: num(agg?.total),
        };
      } else {
        const base = `FROM encounters e JOIN settlement_lines l ON l.encounter_id = e.id WHERE e.institution_id = $1 AND e.discharge_date >= $2 AND e.discharge_date <= $3`;
        const p = [inst, `${query.month}-01`, `${query.month}-31`];
        const [agg] = await services.store.query(`SELECT COUNT(DISTINCT e.id) AS n, SUM(l.amount_fen) AS total ${base}`, p);
        const rows = await services.store.query(
          `SELECT e.id, e.department_id, e.kind, e.discharge_date, e.los_days, SUM(l.amount_fen) AS total
           ${base} GROUP BY e.id, e.department_id, e.kind, e.discharge_date, e.los_days ORDER BY total DESC, e.id LIMIT ${query.limit} OFFSET ${query.offset}`, p);
        out = {
          rows: rows.map((r) => ({
            encounterId: r.id, departmentId: r.department_id, kind: r.kind, dischargeDate: r.discharge_date, losDays: num(r.los_days),
            policyId: null, totalFen: num(r.total), spendingFen: num(r.total), patientFen: null,
          })),
          total: num(agg?.n), spendingFen: num(agg?.total), totalFen: num(agg?.total),
        };
      }
      await log({ action: 'read', resource: 'encounter-list', resourceId: inst, detail: { month: query.month, rows: out.rows.length } });
      return { ...out, spendingBasis: runId ? 'fund-payment' : 'total-charges', limit: query.limit, offset: query.offset };
    },
  }),
];
