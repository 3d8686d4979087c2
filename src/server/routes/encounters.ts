/** Patient-level data 就诊数据: encounter lists and one encounter with its lines. Every read is logged. */
import { z } from 'zod';
import { ENCOUNTER_KINDS } from '../../domain/index.js';
import { toEncounter } from '../../store/base.js';
import type { SqlValue } from '../../store/store.js';
import { notFound } from '../errors.js';
import { IdParam, isoDate, Paging, route } from '../route.js';

const READERS = ['bureau-auditor', 'hospital-insurance-officer', 'department-head'] as const;

export const encounterRoutes = [
  route({
    id: 'encounters.list', method: 'get', path: '/api/encounters', tag: 'encounters', access: READERS, patientData: true,
    summary: 'Encounters (scoped) 就诊记录',
    query: z.object({
      institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(),
      kind: z.enum(ENCOUNTER_KINDS).optional(), from: isoDate.optional(), to: isoDate.optional(), ...Paging,
    }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const conds: string[] = [];
      const params: SqlValue[] = [];
      if (inst) conds.push(`institution_id = $${params.push(inst)}`);
      if (dept) conds.push(`department_id = $${params.push(dept)}`);
      if (query.kind) conds.push(`kind = $${params.push(query.kind)}`);
      if (query.from) conds.push(`discharge_date >= $${params.push(query.from)}`);
      if (query.to) conds.push(`discharge_date <= $${params.push(query.to)}`);
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      const [cnt] = await services.store.query(`SELECT COUNT(*) AS n FROM encounters${where}`, params);
      const rows = await services.store.query(`SELECT * FROM encounters${where} ORDER BY discharge_date DESC, id LIMIT ${query.limit} OFFSET ${query.offset}`, params);
      await log({ action: 'read', resource: 'encounter-list', resourceId: inst ?? '*', detail: { rows: rows.length, offset: query.offset } });
      return { rows: rows.map(toEncounter), total: Number(cnt?.n ?? 0), limit: query.limit, offset: query.offset };
    },
  }),
  route({
    id: 'encounters.get', method: 'get', path: '/api/encounters/:id', tag: 'encounters', access: READERS, patientData: true,
    summary: 'One encounter with its settlement lines 就诊明细',
    params: IdParam,
    handler: async ({ services, scope, params, log }) => {
      const encounter = await services.store.getEncounter(params.id);
      if (!encounter) throw notFound(`encounter ${params.id}`);
      scope.assertVisible(encounter.institutionId, encounter.departmentId);
      const lines = await services.store.getLines(params.id);
      await log({ action: 'read', resource: 'encounter', resourceId: encounter.id });
      return { encounter, lines };
    },
  }),
];
