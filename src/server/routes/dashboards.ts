/**
 * Dashboards 看板: the aggregates the web pages draw. Every figure carries `drill` — the API call
 * that returns the rows behind it — and the rows sum back to the figure.
 */
import { z } from 'zod';
import type { SqlValue } from '../../store/store.js';
import { isoMonth, Paging, route } from '../route.js';

const num = (v: SqlValue | undefined) => Number(v ?? 0);
const year = z.string().regex(/^\d{4}$/, 'expected a year YYYY');

export const dashboardRoutes = [
  route({
    id: 'dashboards.fundMap', method: 'get', path: '/api/dashboards/fund-map', tag: 'dashboards',
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: '基金运行一张图 Fund operation map: spending by institution × month, violation hot spots',
    query: z.object({ year, institutionId: z.string().max(64).optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const params: SqlValue[] = [`${query.year}-01-01`, `${query.year}-12-31`];
      const instCond = inst ? ` AND e.institution_id = $${params.push(inst)}` : '';
      // Spending 医疗总费用 by discharge month (the month a stay is settled), from the settlement lines.
      const cells = await services.store.query(
        `SELECT e.institution_id, SUBSTR(e.discharge_date, 1, 7) AS month, COUNT(DISTINCT e.id) AS encounters, SUM(l.amount_fen) AS total
           FROM encounters e JOIN settlement_lines l ON l.encounter_id = e.id
          WHERE e.discharge_date >= $1 AND e.discharge_date <= $2${instCond}
          GROUP BY e.institution_id, SUBSTR(e.discharge_date, 1, 7) ORDER BY e.institution_id, month`,
        params,
      );
      const hp: SqlValue[] = [`${query.year}-01-01`, `${query.year}-12-31`];
      const hotInst = inst ? ` AND c.institution_id = $${hp.push(inst)}` : '';
      const hotspots = await services.store.query(
        `SELECT c.institution_id, c.type, COUNT(*) AS n, SUM(c.amount_fen) AS amount
           FROM cases c JOIN encounters e ON e.id = c.encounter_id
          WHERE e.discharge_date >= $1 AND e.discharge_date <= $2${hotInst}
          GROUP BY c.institution_id, c.type ORDER BY amount DESC, c.institution_id, c.type`,
        hp,
      );
      const institutions = (await services.store.listInstitutions()).filter((i) => !inst || i.id === inst).map((i) => ({ id: i.id, name: i.name, level: i.level }));
      return {
        year: query.year,
        institutions,
        months: Array.from({ length: 12 }, (_, i) => `${query.year}-${String(i + 1).padStart(2, '0')}`),
        cells: cells.map((r) => ({
          institutionId: r.institution_id, month: r.month, encounters: num(r.encounters), spendingFen: num(r.total),
          // no per-institution global budget (总额预算) is loaded yet: null, never a made-up figure
          budgetFen: null,
          drill: { path: '/api/dashboards/fund-map/rows', query: { institutionId: r.institution_id, month: r.month } },
        })),
        hotspots: hotspots.map((r) => ({
          institutionId: r.institution_id, type: r.type, cases: num(r.n), amountFen: num(r.amount),
          drill: { path: '/api/audit/cases', query: { institutionId: r.institution_id, type: r.type, year: query.year } },
        })),
      };
    },
  }),
  route({
    id: 'dashboards.fundMapRows', method: 'get', path: '/api/dashboards/fund-map/rows', tag: 'dashboards', patientData: true,
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: 'Encounters behind one fund-map cell (drill-down) 下钻明细',
    query: z.object({ institutionId: z.string().min(1).max(64), month: isoMonth, ...Paging }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId) ?? query.institutionId;
      const from = `${query.month}-01`;
      const to = `${query.month}-31`;
      const base = `FROM encounters e JOIN settlement_lines l ON l.encounter_id = e.id WHERE e.institution_id = $1 AND e.discharge_date >= $2 AND e.discharge_date <= $3`;
      const [agg] = await services.store.query(`SELECT COUNT(DISTINCT e.id) AS n, SUM(l.amount_fen) AS total ${base}`, [inst, from, to]);
      const rows = await services.store.query(
        `SELECT e.id, e.department_id, e.kind, e.admit_date, e.discharge_date, e.los_days, e.diagnoses, COUNT(*) AS line_count, SUM(l.amount_fen) AS total
         ${base} GROUP BY e.id, e.department_id, e.kind, e.admit_date, e.discharge_date, e.los_days, e.diagnoses
         ORDER BY total DESC, e.id LIMIT ${query.limit} OFFSET ${query.offset}`,
        [inst, from, to],
      );
      await log({ action: 'read', resource: 'encounter-list', resourceId: inst, detail: { month: query.month, rows: rows.length } });
      return {
        rows: rows.map((r) => ({
          encounterId: r.id, departmentId: r.department_id, kind: r.kind, admitDate: r.admit_date, dischargeDate: r.discharge_date,
          losDays: num(r.los_days), principalDiagnosis: String(r.diagnoses).split('|')[0] ?? '', lineCount: num(r.line_count), spendingFen: num(r.total),
        })),
        total: num(agg?.n), spendingFen: num(agg?.total), limit: query.limit, offset: query.offset,
      };
    },
  }),
];
