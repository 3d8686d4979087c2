/**
 * Server configuration: one zod schema, parsed once at start-up. Keys come from
 * src/security/keys.ts (MEDFUND_SECRET or the key file).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { resolveKeys, type SecurityKeys } from '../security/index.js';

export const ServerConfigSchema = z.object({
  /** directory the built web app is served from (SPA fallback to index.html); default this checkout's web/dist */
  webDist: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
  /** server-side directories `POST /api/import { dir }` may read must lie under this root */
  importRoot: z.string().default('.'),
  /** largest request body accepted, bytes */
  maxBodyBytes: z.number().int().positive().default(64 * 1024 * 1024),
  /** largest JSON body accepted on ordinary routes, bytes */
  maxJsonBytes: z.number().int().positive().default(2 * 1024 * 1024),
  /** mark the session cookie Secure (behind TLS) */
  secureCookie: z.boolean().default(false),
  /** session lifetime, ms */
  sessionTtlMs: z.number().int().positive().default(12 * 60 * 60 * 1000),
  /** failed logins per username before a 15-minute lock */
  maxFailedLogins: z.number().int().positive().default(5),
});

export type ServerOptions = z.input<typeof ServerConfigSchema>;
export type ServerConfig = z.output<typeof ServerConfigSchema> & { readonly keys: SecurityKeys };

export function makeServerConfig(keys: SecurityKeys, options: ServerOptions = {}): ServerConfig {
  return { ...ServerConfigSchema.parse(options), keys };
}

/** Config from the environment: MEDFUND_WEB_DIST, MEDFUND_IMPORT_ROOT, MEDFUND_SECURE_COOKIE, keys. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return makeServerConfig(resolveKeys(env), {
    ...(env.MEDFUND_WEB_DIST ? { webDist: env.MEDFUND_WEB_DIST } : {}),
    ...(env.MEDFUND_IMPORT_ROOT ? { importRoot: env.MEDFUND_IMPORT_ROOT } : {}),
    ...(env.MEDFUND_SECURE_COOKIE === '1' ? { secureCookie: true } : {}),
  });
}
