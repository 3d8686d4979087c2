/**
 * Users 用户 and sessions 会话. Passwords are scrypt hashes; display names are encrypted at rest;
 * a session is an opaque random bearer token whose HMAC (never the token) is stored, so a copy of
 * the database does not let anyone log in.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { decryptField, encryptField, type SecurityKeys } from './crypto.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { INSTITUTION_ROLES, ROLES, type Principal, type Role } from './roles.js';

export const NewUserSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'username: 3–40 characters a-z 0-9 . _ -, starting with a letter or digit'),
    password: z.string().min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
    role: z.enum(ROLES),
    institutionId: z.string().max(64).default(''),
    departmentId: z.string().max(64).default(''),
    displayName: z.string().max(100).default(''),
  })
  .superRefine((u, ctx) => {
    if (INSTITUTION_ROLES.includes(u.role) && !u.institutionId) {
      ctx.addIssue({ code: 'custom', path: ['institutionId'], message: `role ${u.role} needs an institutionId` });
    }
    if (!INSTITUTION_ROLES.includes(u.role) && u.institutionId) {
      ctx.addIssue({ code: 'custom', path: ['institutionId'], message: `role ${u.role} is region-wide and takes no institutionId` });
    }
    if (u.role === 'department-head' && !u.departmentId) {
      ctx.addIssue({ code: 'custom', path: ['departmentId'], message: 'role department-head needs a departmentId' });
    }
  });
export type NewUser = z.input<typeof NewUserSchema>;

export interface UserInfo {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly displayName: string;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export class UsernameTakenError extends Error {}

function toUser(r: Record<string, unknown>, keys: SecurityKeys): UserInfo {
  const enc = String(r.display_name_enc);
  return {
    id: String(r.id), username: String(r.username), role: String(r.role) as Role, institutionId: String(r.institution_id),
    departmentId: String(r.department_id), displayName: enc ? decryptField(keys.encryptionKey, enc) : '',
    createdAt: String(r.created_at), disabled: r.disabled === true,
  };
}

/** `scrypt` overrides the hash cost (tests only; production uses the default). */
export async function createUser(store: Store, keys: SecurityKeys, input: NewUser, now: Date, opts: { scrypt?: { N: number; r: number; p: number } } = {}): Promise<UserInfo> {
  const u = NewUserSchema.parse(input);
  const existing = await store.query(`SELECT id FROM users WHERE username = $1`, [u.username]);
  if (existing.length) throw new UsernameTakenError(`username ${u.username} is taken`);
  const id = randomUUID();
  const hash = await hashPassword(u.password, opts.scrypt);
  const displayEnc = u.displayName ? encryptField(keys.encryptionKey, u.displayName) : '';
  await store.exec(
    `INSERT INTO users (id, username, password_hash, role, institution_id, department_id, display_name_enc, created_at, disabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [id, u.username, hash, u.role, u.institutionId, u.departmentId, displayEnc, now.toISOString(), false],
  );
  return { id, username: u.username, role: u.role, institutionId: u.institutionId, departmentId: u.departmentId, displayName: u.displayName, createdAt: now.toISOString(), disabled: false };
}

export async function listUsers(store: Store, keys: SecurityKeys): Promise<UserInfo[]> {
  return (await store.query(`SELECT * FROM users ORDER BY username`)).map((r) => toUser(r, keys));
}

export async function countUsers(store: Store): Promise<number> {
  const [r] = await store.query(`SELECT COUNT(*) AS n FROM users`);
  return Number(r?.n ?? 0);
}

// A fixed dummy hash so an unknown username costs the same scrypt time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Check a username and password; undefined when either is wrong or the user is disabled. */
export async function authenticate(store: Store, keys: SecurityKeys, username: string, password: string): Promise<UserInfo | undefined> {
  const [row] = await store.query(`SELECT * FROM users WHERE username = $1`, [username]);
  if (!row) {
    dummyHash ??= hashPassword('dummy-password-for-timing');
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  const ok = await verifyPassword(password, String(row.password_hash));
  if (!ok || row.disabled === true) return undefined;
  return toUser(row, keys);
}

/** Default session lifetime: one working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function tokenId(keys: SecurityKeys, token: string): string {
  return createHmac('sha256', keys.tokenKey).update(token).digest('hex');
}

/**
 * Sessions: the database is the source of truth, with an in-process cache so each API request
 * does not cost a query (a hot path at 1,000 requests/s). Logout removes both.
 */
export class SessionManager {
  private cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly keys: SecurityKeys,
    private readonly clock: () => Date,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  async create(user: UserInfo): Promise<{ token: string; expiresAt: string; principal: Principal }> {
    const token = randomBytes(32).toString('base64url');
    const id = tokenId(this.keys, token);
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.store.exec(`INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [id, user.id, now.toISOString(), expiresAt.toISOString()]);
    const principal = principalOf(user, id);
    this.cache.set(id, { principal, expiresAt: expiresAt.getTime() });
    return { token, expiresAt: expiresAt.toISOString(), principal };
  }

  /** The principal of a bearer token, or undefined when unknown, expired or the user is disabled. */
  async resolve(token: string): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined;
    const id = tokenId(this.keys, token);
    const now = this.clock().getTime();
    const hit = this.cache.get(id);
    if (hit) {
      if (hit.expiresAt > now) return hit.principal;
      this.cache.delete(id);
      return undefined;
    }
    const [row] = await this.store.query(
      `SELECT s.expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
      [id],
    );
    if (!row || row.disabled === true) return undefined;
    const expiresAt = Date.parse(String(row.expires_at));
    if (!(expiresAt > now)) return undefined;
    const principal = principalOf(toUser(row, this.keys), id);
    this.cache.set(id, { principal, expiresAt });
    return principal;
  }

  async revoke(sessionId: string): Promise<void> {
    this.cache.delete(sessionId);
    await this.store.exec(`DELETE FROM sessions WHERE id_hash = $1`, [sessionId]);
  }
}

function principalOf(u: UserInfo, sessionId: string): Principal {
  return { userId: u.id, username: u.username, role: u.role, institutionId: u.institutionId, departmentId: u.departmentId, sessionId };
}
