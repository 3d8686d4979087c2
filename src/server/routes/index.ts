/** Every API route, by area. The OpenAPI document and the authorization test iterate this list. */
import type { RouteSpec } from '../route.js';
import { adminRoutes } from './admin.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { caseRoutes } from './cases.js';
import { dashboardRoutes } from './dashboards.js';
import { encounterRoutes } from './encounters.js';
import { qualityRoutes } from './quality.js';
import { referenceRoutes } from './reference.js';
import { settlementRoutes } from './settlement.js';

export const ROUTES: readonly RouteSpec<any, any, any>[] = [
  ...authRoutes,
  ...referenceRoutes,
  ...qualityRoutes,
  ...encounterRoutes,
  ...auditRoutes,
  ...caseRoutes,
  ...dashboardRoutes,
  ...settlementRoutes,
  ...adminRoutes,
];
