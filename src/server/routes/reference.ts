/** Reference lookups 基础数据: institutions, departments, catalog search. */
import { z } from 'zod';
import { CHARGE_CATEGORIES } from '../../domain/index.js';
import { route, IdParam, Paging } from '../route.js';

const ALL = 'authenticated' as const;

/** Escape LIKE wildcards so a search for `50%` means the text, not a pattern. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export const referenceRoutes = [
  route({
    id: 'reference.institutions', method: 'get', path: '/api/institutions', tag: 'reference', access: ALL,
    summary: 'Institutions visible to the user 医疗机构',
    handler: async ({ services, scope }) => {
      const own = scope.institution();
      const rows = (await services.store.listInstitutions()).filter((i) => own === undefined || i.id === own);
      return { rows, total: rows.length };
    },
  }),
  route({
    id: 'reference.departments', method: 'get', path: '/api/institutions/:id/departments', tag: 'reference', access: ALL,
    summary: 'Departments (cost centers) of an institution 科室',
    params: IdParam,
    handler: async ({ services, scope, params }) => {
      const inst = scope.institution(params.id) ?? params.id;
      const dept = scope.department();
      const rows = (await services.store.listDepartments(inst)).filter((d) => dept === undefined || d.id === dept);
      return { rows, total: rows.length };
    },
  }),
  route({
    id: 'reference.catalog', method: 'get', path: '/api/catalog', tag: 'reference', access: ALL,
    summary: 'Search the national insurance catalog by code or name 医保目录检索',
    query: z.object({ q: z.string().max(100).default(''), category: z.enum(CHARGE_CATEGORIES).optional(), ...Paging }),
    handler: async ({ services, query }) => {
      const conds = [`(LOWER(code) LIKE $1 ESCAPE '\\' OR LOWER(name) LIKE $1 ESCAPE '\\')`];
      const params: (string | number)[] = [likeContains(query.q)];
      if (query.category) conds.push(`category = $${params.push(query.category)}`);
      const where = ` WHERE ${conds.join(' AND ')}`;
      const [cnt] = await services.store.query(`SELECT COUNT(*) AS n FROM catalog_items${where}`, params);
      const rows = await services.store.query(
        `SELECT code, name, category, pay_class, unit, price_cap_fen, self_pay_first_permille FROM catalog_items${where} ORDER BY code LIMIT ${query.limit} OFFSET ${query.offset}`,
        params,
      );
      return {
        rows: rows.map((r) => ({
          code: r.code, name: r.name, category: r.category, payClass: r.pay_class, unit: r.unit,
          priceCapFen: Number(r.price_cap_fen), selfPayFirstPermille: Number(r.self_pay_first_permille),
        })),
        total: Number(cnt?.n ?? 0), limit: query.limit, offset: query.offset,
      };
    },
  }),
];
