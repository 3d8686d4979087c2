/** Every API route, by area. The OpenAPI document and the authorization test iterate this list. */
import type { RouteSpec } from '../route.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { encounterRoutes } from './encounters.js';
import { qualityRoutes } from './quality.js';
import { referenceRoutes } from './reference.js';

export const ROUTES: readonly RouteSpec<any, any, any>[] = [
  ...authRoutes,
  ...referenceRoutes,
  ...qualityRoutes,
  ...encounterRoutes,
  ...adminRoutes,
];
