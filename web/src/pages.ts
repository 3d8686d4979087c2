/** The pages, who may open them (docs/api.md route roles) and their navigation labels. */
import type { Role } from './auth';
import type { MsgKey } from './i18n';

export interface PageDef {
  id: string;
  nav: MsgKey;
  roles: readonly Role[];
  icon: string;
}

export const PAGES: readonly PageDef[] = [
  { id: 'fund-map', nav: 'navFundMap', roles: ['bureau-auditor', 'hospital-insurance-officer'], icon: '◉' },
  { id: 'drg', nav: 'navDrg', roles: ['bureau-auditor', 'hospital-insurance-officer', 'cost-accountant', 'department-head'], icon: '▦' },
  { id: 'cost', nav: 'navCost', roles: ['cost-accountant', 'department-head', 'hospital-insurance-officer'], icon: '◔' },
  { id: 'audit', nav: 'navAudit', roles: ['bureau-auditor', 'hospital-insurance-officer', 'department-head'], icon: '✔' },
  { id: 'precheck', nav: 'navPrecheck', roles: ['bureau-auditor', 'hospital-insurance-officer', 'department-head', 'doctor'], icon: '✚' },
  { id: 'settle', nav: 'navSettle', roles: ['bureau-auditor', 'hospital-insurance-officer', 'doctor'], icon: '¥' },
  { id: 'quality', nav: 'navQuality', roles: ['admin', 'bureau-auditor', 'hospital-insurance-officer'], icon: '≡' },
];

export function pagesFor(role: Role): PageDef[] {
  return PAGES.filter((p) => p.roles.includes(role));
}
