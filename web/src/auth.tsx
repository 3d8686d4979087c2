/**
 * Session: log in with username and password (POST /api/auth/login), keep the bearer token for the
 * tab (sessionStorage; the server also sets an HttpOnly cookie), restore the user on reload with
 * GET /api/auth/me, and drop back to the login page on any 401.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call, ENDPOINTS, setToken, setUnauthorizedHandler } from './api';

export const ROLES = ['bureau-auditor', 'hospital-insurance-officer', 'cost-accountant', 'department-head', 'doctor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Fallback labels when the server sends none (same words as src/security/roles.ts). */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  'bureau-auditor': { zh: '医保局审核员', en: 'Bureau auditor' },
  'hospital-insurance-officer': { zh: '医保办', en: 'Hospital insurance officer' },
  'cost-accountant': { zh: '成本会计', en: 'Cost accountant' },
  'department-head': { zh: '科主任', en: 'Department head' },
  doctor: { zh: '医生', en: 'Doctor' },
  admin: { zh: '管理员', en: 'Administrator' },
};

export interface User {
  id: string;
  username: string;
  role: Role;
  roleLabel?: { zh: string; en: string };
  institutionId: string;
  departmentId: string;
  displayName?: string;
}

interface Auth {
  user: User | null;
  /** true until the first /api/auth/me answer */
  checking: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setToken(null);
      setUser(null);
    });
    call<{ user: User }>(ENDPOINTS.me)
      .then((r) => setUser(r.user))
      .catch(() => setUser(null))
      .finally(() => setChecking(false));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await call<{ token: string; user: User }>(ENDPOINTS.login, { body: { username, password } });
    setToken(r.token);
    // /me carries the role label; fall back to the login answer if it fails
    const me = await call<{ user: User }>(ENDPOINTS.me).catch(() => ({ user: r.user }));
    setUser({ ...r.user, ...me.user, displayName: me.user.displayName || r.user.displayName });
  }, []);

  const logout = useCallback(async () => {
    await call(ENDPOINTS.logout).catch(() => undefined);
    setToken(null);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, checking, login, logout }), [user, checking, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user (pages render only inside the signed-in shell). */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a session');
  return user;
}
