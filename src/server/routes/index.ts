/** Every API route, by area. The OpenAPI document and the authorization test iterate this list. */
import type { RouteSpec } from '../route.js';
import { adminRoutes } from './admin.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { auditQueueRoutes, caseRoutes } from './cases.js';
import { costingRoutes } from './costing.js';
import { dashboardRoutes } from './dashboards.js';
import { drgRoutes } from './drg.js';
import { encounterRoutes } from './encounters.js';
import { fhirRoutes } from './fhir.js';
import { importRoutes } from './import.js';
import { qualityRoutes } from './quality.js';
import { referenceRoutes } from './reference.js';
import { settlementRoutes } from './settlement.js';

export const ROUTES: readonly RouteSpec<any, any, any>[] = [
  ...authRoutes,
  ...referenceRoutes,
  ...importRoutes,
  ...qualityRoutes,
  ...encounterRoutes,
  ...auditRoutes,
  ...caseRoutes,
  ...auditQueueRoutes,
  ...dashboardRoutes,
  ...costingRoutes,
  ...drgRoutes,
  ...settlementRoutes,
  ...fhirRoutes,
  ...adminRoutes,
];
