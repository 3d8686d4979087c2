/**
 * Roles and the principal a request acts as. One `ROLES` array feeds the type, the zod enum, the
 * CLI `.choices()` and the web app's labels.
 */
export const ROLES = [
  'bureau-auditor', // 医保局审核员 — region-wide supervision
  'hospital-insurance-officer', // 医保办 — one hospital's insurance office
  'cost-accountant', // 成本会计 — one hospital's cost accounting
  'department-head', // 科主任 — one department of one hospital
  'doctor', // 医生 — one hospital, workstation functions
  'admin', // 管理员 — users, imports, the audit log; no patient-level reads
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = {
  'bureau-auditor': { zh: '医保局审核员', en: 'Bureau auditor' },
  'hospital-insurance-officer': { zh: '医保办', en: 'Hospital insurance officer' },
  'cost-accountant': { zh: '成本会计', en: 'Cost accountant' },
  'department-head': { zh: '科主任', en: 'Department head' },
  doctor: { zh: '医生', en: 'Doctor' },
  admin: { zh: '管理员', en: 'Administrator' },
};

/** Roles that are bound to one institution (and, for department heads, one department). */
export const INSTITUTION_ROLES: readonly Role[] = ['hospital-insurance-officer', 'cost-accountant', 'department-head', 'doctor'];

/** The authenticated user a request acts as. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  /** set for institution-bound roles; empty for region-wide roles (bureau, admin) */
  readonly institutionId: string;
  /** set for department heads (and doctors, informationally) */
  readonly departmentId: string;
  /** session id hash, for logout */
  readonly sessionId: string;
}
