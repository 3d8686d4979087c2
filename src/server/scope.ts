/**
 * Institution scoping 数据权限: a hospital sees only its own data, a department head only the
 * department's. Every handler that reads institution data asks these helpers for its filter, so
 * the rule lives in one place and the authorization test can cover every route.
 */
import type { Principal } from '../security/index.js';
import { forbiddenScope } from './errors.js';

const REGION_WIDE = new Set(['bureau-auditor', 'admin']);

export class Scope {
  constructor(readonly principal: Principal) {}

  get regionWide(): boolean {
    return REGION_WIDE.has(this.principal.role);
  }

  /** The institution filter for a list: the requested one if allowed, own institution by default; undefined = all. */
  institution(requested?: string): string | undefined {
    if (this.regionWide) return requested || undefined;
    if (requested && requested !== this.principal.institutionId) {
      throw forbiddenScope(`no access to institution ${requested} (你只能查看本机构数据 / own institution only)`);
    }
    return this.principal.institutionId;
  }

  /** The department filter: department heads are pinned to their department; others pass through. */
  department(requested?: string): string | undefined {
    if (this.principal.role !== 'department-head') return requested || undefined;
    if (requested && requested !== this.principal.departmentId) {
      throw forbiddenScope(`no access to department ${requested} (你只能查看本科室数据 / own department only)`);
    }
    return this.principal.departmentId;
  }

  /** Assert a resource that belongs to (institution, department) is visible. */
  assertVisible(institutionId: string, departmentId?: string): void {
    if (this.regionWide) return;
    if (institutionId !== this.principal.institutionId) throw forbiddenScope(`the resource belongs to another institution (无权访问其他机构数据)`);
    if (this.principal.role === 'department-head' && departmentId !== undefined && departmentId !== this.principal.departmentId) {
      throw forbiddenScope(`the resource belongs to another department (无权访问其他科室数据)`);
    }
  }
}
