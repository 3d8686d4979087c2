/** Administration 管理: users and the audit log. */
import { z } from 'zod';
import { createUser, listAuditEntries, listUsers, NewUserSchema, ROLE_LABELS, UsernameTakenError, verifyAuditLog } from '../../security/index.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

export const adminRoutes = [
  route({
    id: 'users.list', method: 'get', path: '/api/users', tag: 'admin', access: ['admin'],
    summary: 'List users 用户列表',
    handler: async ({ services }) => {
      const rows = (await listUsers(services.store, services.keys)).map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role] }));
      return { rows, total: rows.length };
    },
  }),
  route({
    id: 'users.create', method: 'post', path: '/api/users', tag: 'admin', access: ['admin'],
    summary: 'Create a user 新建用户',
    body: NewUserSchema,
    handler: async ({ services, body, log }) => {
      if (body.institutionId) {
        const [inst] = await services.store.query(`SELECT id FROM institutions WHERE id = $1`, [body.institutionId]);
        if (!inst) throw new ApiError(400, 'invalid-request', `unknown institution ${body.institutionId}`, [{ path: 'body.institutionId', code: 'unknown-institution', message: `no institution ${body.institutionId}` }]);
      }
      if (body.departmentId) {
        const [d] = await services.store.query(`SELECT id FROM departments WHERE id = $1 AND institution_id = $2`, [body.departmentId, body.institutionId]);
        if (!d) throw new ApiError(400, 'invalid-request', `unknown department ${body.departmentId}`, [{ path: 'body.departmentId', code: 'unknown-department', message: `no department ${body.departmentId} in institution ${body.institutionId}` }]);
      }
      try {
        const user = await createUser(services.store, services.keys, body, services.clock());
        await log({ action: 'create', resource: 'user', resourceId: user.id, detail: { username: user.username, role: user.role } });
        return { user };
      } catch (err) {
        if (err instanceof UsernameTakenError) throw new ApiError(409, 'conflict', err.message, [{ path: 'body.username', code: 'taken', message: err.message }]);
        throw err;
      }
    },
  }),
  route({
    id: 'auditlog.list', method: 'get', path: '/api/audit-log', tag: 'admin', access: ['admin'],
    summary: 'Newest audit-log entries 审计日志',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100), beforeSeq: z.coerce.number().int().min(1).optional(),
      actor: z.string().max(100).optional(), resource: z.string().max(100).optional(),
    }),
    handler: async ({ services, query }) => {
      await services.audit.flush();
      const rows = await listAuditEntries(services.store, query);
      return { rows, total: rows.length };
    },
  }),
  route({
    id: 'auditlog.verify', method: 'get', path: '/api/audit-log/verify', tag: 'admin', access: ['admin'],
    summary: 'Verify the audit-log hash chain 校验审计日志',
    handler: async ({ services }) => {
      await services.audit.flush();
      return verifyAuditLog(services.store, services.keys.auditKey);
    },
  }),
];
