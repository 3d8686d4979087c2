/** Auth 登录: login, logout, me, health. */
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { authenticate as checkPassword, ROLE_LABELS, type Principal } from '../../security/index.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { route, SESSION_COOKIE } from '../route.js';

const LOCK_MS = 15 * 60 * 1000;
// Failed-login counters per username (in-process); a lock answers 429 before any scrypt work.
const failures = new WeakMap<Services, Map<string, { count: number; since: number }>>();

function userView(p: Principal, displayName = '') {
  return {
    id: p.userId, username: p.username, role: p.role, roleLabel: ROLE_LABELS[p.role],
    institutionId: p.institutionId, departmentId: p.departmentId, displayName,
  };
}

export const authRoutes = [
  route({
    id: 'health', method: 'get', path: '/api/health', tag: 'auth', access: 'public',
    summary: 'Liveness and store backend 健康检查',
    handler: ({ services }) => ({ ok: true, store: services.store.dialect }),
  }),
  route({
    id: 'auth.login', method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public',
    summary: 'Log in with username and password 登录',
    body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
    handler: async ({ c, body, services }) => {
      const now = services.clock().getTime();
      let map = failures.get(services);
      if (!map) failures.set(services, (map = new Map()));
      const f = map.get(body.username);
      if (f && f.count >= services.config.maxFailedLogins && now - f.since < LOCK_MS) {
        throw new ApiError(429, 'too-many-attempts', 'too many failed logins; try again in 15 minutes (登录失败次数过多，请15分钟后再试)');
      }
      const user = await checkPassword(services.store, services.keys, body.username, body.password);
      if (!user) {
        const cur = f && now - f.since < LOCK_MS ? f : { count: 0, since: now };
        map.set(body.username, { count: cur.count + 1, since: cur.since });
        await services.audit.append({ actor: body.username.slice(0, 100), role: 'anonymous', institutionId: '', action: 'login-failed', resource: 'session', resourceId: '', outcome: 'denied' });
        throw new ApiError(401, 'invalid-credentials', 'wrong username or password (用户名或密码错误)');
      }
      map.delete(body.username);
      const session = await services.sessions.create(user);
      await services.audit.append({ actor: user.username, role: user.role, institutionId: user.institutionId, action: 'login', resource: 'session', resourceId: '', outcome: 'ok' });
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true, sameSite: 'Strict', path: '/', secure: services.config.secureCookie, expires: new Date(session.expiresAt),
      });
      return { token: session.token, expiresAt: session.expiresAt, user: userView(session.principal, user.displayName) };
    },
  }),
  route({
    id: 'auth.logout', method: 'post', path: '/api/auth/logout', tag: 'auth', access: 'authenticated',
    summary: 'End the session 退出登录',
    handler: async ({ c, principal, services, log }) => {
      await services.sessions.revoke(principal.sessionId);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      await log({ action: 'logout', resource: 'session', resourceId: '' });
      return { ok: true };
    },
  }),
  route({
    id: 'auth.me', method: 'get', path: '/api/auth/me', tag: 'auth', access: 'authenticated',
    summary: 'The logged-in user 当前用户',
    handler: ({ principal }) => ({ user: userView(principal) }),
  }),
];
