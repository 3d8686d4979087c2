/**
 * Security: roles and principals, password hashing, sessions, pseudonymisation, field encryption
 * and the tamper-evident audit log. docs/security.md describes the model.
 */
export { ROLES, ROLE_LABELS, INSTITUTION_ROLES } from './roles.js';
export type { Role, Principal } from './roles.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password.js';
export { pseudonymise, encryptField, decryptField, isEncryptedField, deriveKeys } from './crypto.js';
export type { SecurityKeys } from './crypto.js';
export { resolveKeys, resolveMasterSecret, resolvePseudonymKey, DEFAULT_SECRET_FILE } from './keys.js';
export { AuditLog, verifyAuditLog, listAuditEntries, GENESIS_HASH } from './audit-log.js';
export type { AuditEntry, AuditEntryInput, AuditAction, VerifyProblem, VerifyResult } from './audit-log.js';
export { createUser, listUsers, countUsers, authenticate, SessionManager, NewUserSchema, UsernameTakenError, SESSION_TTL_MS } from './users.js';
export type { NewUser, UserInfo } from './users.js';
