/** The HTTP server: createApp and its configuration. docs/api.md lists the routes. */
export { createApp, appServices } from './app.js';
export type { CreateAppOptions } from './app.js';
export { makeServerConfig, loadServerConfig, ServerConfigSchema } from './config.js';
export type { ServerConfig, ServerOptions } from './config.js';
export { ROUTES } from './routes/index.js';
export { ApiError, toErrorResponse } from './errors.js';
export { seedDemoUsers, DEMO_PASSWORD } from './seed.js';
export type { RouteSpec } from './route.js';
