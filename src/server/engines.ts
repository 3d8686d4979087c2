/**
 * Engine state the server loads once and caches (compiled rule plan, institution levels). Loading
 * reads data/ and the store; the engines themselves stay pure. `invalidateEngines` drops the cache
 * after an import changes the catalog or the institutions.
 */
import { compileRules, loadRuleLibrary, type AuditPlan } from '../audit/index.js';
import { loadRegionKnowledge } from '../audit/store-audit.js';
import type { CatalogItem, Institution } from '../domain/index.js';
import { loadScheme, type DrgReference, type Scheme as DrgScheme } from '../drg/index.js';
import type { Policy } from '../settlement/index.js';
import { loadPolicies } from '../settlement/load.js';
import type { Services } from './context.js';
import { ApiError } from './errors.js';

/**
 * Load engine state once. A load failure (missing or invalid data/ files) is a deployment fault:
 * the details go to the server log, the client gets 503 engine-unavailable without file paths.
 */
function cached<T>(services: Services, key: string, load: () => Promise<T>): Promise<T> {
  let p = services.cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load().catch((err: unknown) => {
      process.stderr.write(`medfund serve: cannot load ${key}: ${err instanceof Error ? err.message : String(err)}\n`);
      throw new ApiError(503, 'engine-unavailable', `${key} is not available on this server (引擎数据未就绪)`);
    });
    services.cache.set(key, p);
    // a failed load is not cached, so the next request retries
    p.catch(() => services.cache.delete(key));
  }
  return p;
}

export function invalidateEngines(services: Services): void {
  services.cache.clear();
}

export function institutionsById(services: Services): Promise<Map<string, Institution>> {
  return cached(services, 'institutions', async () => new Map((await services.store.listInstitutions()).map((i) => [i.id, i])));
}

/** The audit plan compiled for today's date against the region's catalog and code mappings. */
export function auditPlan(services: Services): Promise<AuditPlan> {
  return cached(services, 'audit-plan', async () => {
    const asOf = services.clock().toISOString().slice(0, 10);
    return compileRules(loadRuleLibrary(), { asOf, region: await loadRegionKnowledge(services.store) });
  });
}

/** Every shipped settlement policy version (data/policies). */
export function settlementPolicies(services: Services): Promise<Policy[]> {
  return cached(services, 'settlement-policies', async () => loadPolicies());
}

/** The region catalog by code. */
export function catalogByCode(services: Services): Promise<Map<string, CatalogItem>> {
  return cached(services, 'catalog', async () => new Map((await services.store.listCatalog()).map((c) => [c.code, c])));
}

/** A compiled DRG scheme by name (chs-drg-1.1, chs-drg-2.0, …). */
export function drgScheme(services: Services, name: string): Promise<DrgScheme> {
  return cached(services, `drg-scheme:${name}`, async () => loadScheme(name));
}

/** The newest weight table and rate stored for a scheme (by `medfund demo` / the DRG step); undefined when none. */
export async function drgReferences(services: Services, scheme: string): Promise<{ version: string; references: Map<string, DrgReference>; ratePerWeightFen: number | undefined } | undefined> {
  const [v] = await services.store.query(`SELECT version FROM drg_weights WHERE scheme = $1 ORDER BY version DESC LIMIT 1`, [scheme]);
  if (!v) return undefined;
  const version = String(v.version);
  const rows = await services.store.query(`SELECT drg, weight, avg_cost_fen, avg_los_days FROM drg_weights WHERE scheme = $1 AND version = $2`, [scheme, version]);
  const [rate] = await services.store.query(`SELECT rate_per_weight_fen FROM drg_rates WHERE scheme = $1 ORDER BY version DESC LIMIT 1`, [scheme]);
  return {
    version,
    references: new Map(rows.map((r) => [String(r.drg), { weight: Number(r.weight), avgCostFen: Number(r.avg_cost_fen), avgLosDays: Number(r.avg_los_days) }])),
    ratePerWeightFen: rate ? Number(rate.rate_per_weight_fen) : undefined,
  };
}
