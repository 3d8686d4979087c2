/**
 * Demo users 演示用户 for the demo region: created by `medfund serve` when missing, with one
 * documented password (docs/api.md). Hospital users are bound to the first two hospitals (by id) and
 * the clinical department with the most inpatient stays; they are created once those exist (after an import).
 */
import { createUser, type Role, type SecurityKeys } from '../security/index.js';
import type { Store } from '../store/store.js';

export const DEMO_PASSWORD = 'medfund-demo';

export interface SeededUser {
  readonly username: string;
  readonly role: Role;
  readonly institutionId: string;
  readonly departmentId: string;
}

export async function seedDemoUsers(store: Store, keys: SecurityKeys, now: Date): Promise<SeededUser[]> {
  const existing = new Set((await store.query(`SELECT username FROM users`)).map((r) => String(r.username)));
  const hospitals = await store.query(`SELECT id FROM institutions WHERE kind = 'hospital' ORDER BY id LIMIT 2`);
  const h1 = hospitals[0] ? String(hospitals[0].id) : undefined;
  const h2 = hospitals[1] ? String(hospitals[1].id) : undefined;
  let d1: string | undefined;
  if (h1) {
    // the clinical department with the most inpatient stays, so the department head's pages have data
    const [busiest] = await store.query(
      `SELECT d.id, COUNT(e.id) AS n FROM departments d LEFT JOIN encounters e ON e.department_id = d.id AND e.kind = 'inpatient'
        WHERE d.institution_id = $1 AND d.cost_category = 'clinical' GROUP BY d.id ORDER BY n DESC, d.id LIMIT 1`, [h1]);
    d1 = busiest ? String(busiest.id) : undefined;
  }
  const wanted: Array<SeededUser & { displayName: string }> = [
    { username: 'bureau', role: 'bureau-auditor', institutionId: '', departmentId: '', displayName: '医保局审核员（演示）' },
    { username: 'admin', role: 'admin', institutionId: '', departmentId: '', displayName: '系统管理员（演示）' },
  ];
  if (h1) {
    wanted.push(
      { username: 'officer', role: 'hospital-insurance-officer', institutionId: h1, departmentId: '', displayName: '医保办（演示）' },
      { username: 'accountant', role: 'cost-accountant', institutionId: h1, departmentId: '', displayName: '成本会计（演示）' },
    );
    if (d1) {
      wanted.push(
        { username: 'head', role: 'department-head', institutionId: h1, departmentId: d1, displayName: '科主任（演示）' },
        { username: 'doctor', role: 'doctor', institutionId: h1, departmentId: d1, displayName: '医生（演示）' },
      );
    }
  }
  if (h2) wanted.push({ username: 'officer2', role: 'hospital-insurance-officer', institutionId: h2, departmentId: '', displayName: '医保办2（演示）' });
  const created: SeededUser[] = [];
  for (const u of wanted) {
    if (existing.has(u.username)) continue;
    await createUser(store, keys, { ...u, password: DEMO_PASSWORD }, now);
    created.push({ username: u.username, role: u.role, institutionId: u.institutionId, departmentId: u.departmentId });
  }
  return created;
}
