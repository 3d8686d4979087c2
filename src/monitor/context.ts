/**
 * Store-backed context for the audit stream evaluator: each line's encounter (with its institution's
 * level) and the local→national code mapping for lines that arrive without a national code.
 * Encounters are looked up once and cached (bounded), so the hot path is a map hit.
 */
import type { AuditEncounter } from '../audit/index.js';
import type { InstitutionLevel, SettlementLine } from '../domain/index.js';
import { toEncounter, type Store } from '../store/index.js';
import { ContextError } from './monitor.js';
import type { ItemCodeResolver } from './parse.js';

export interface EncounterContextProvider {
  context(line: SettlementLine): Promise<AuditEncounter> | AuditEncounter;
  /** bulk-load the encounters of a batch (one query per 500 unknown ids instead of one per encounter) */
  prefetch(lines: readonly SettlementLine[]): Promise<void>;
  resolveItemCode: ItemCodeResolver;
}

export async function createEncounterContext(store: Store, maxCached = 200_000): Promise<EncounterContextProvider> {
  const levels = new Map<string, InstitutionLevel>((await store.listInstitutions()).map((i) => [i.id, i.level]));
  const mappings = new Map<string, string>((await store.listCodeMappings()).map((m) => [`${m.institutionId}\u0001${m.localCode}`, m.nationalCode]));
  const cache = new Map<string, AuditEncounter>();
  async function load(line: SettlementLine): Promise<AuditEncounter> {
    const encounter = await store.getEncounter(line.encounterId);
    if (!encounter) throw new ContextError(`encounter ${line.encounterId} of line ${line.id} is not in the store (import encounters before their lines arrive)`);
    let level = levels.get(encounter.institutionId);
    if (!level) {
      for (const i of await store.listInstitutions()) levels.set(i.id, i.level);
      level = levels.get(encounter.institutionId);
      if (!level) throw new ContextError(`institution ${encounter.institutionId} of encounter ${encounter.id} is not in the store`);
    }
    const ctx: AuditEncounter = { encounter, institutionLevel: level };
    remember(ctx);
    return ctx;
  }
  const remember = (ctx: AuditEncounter): void => {
    if (cache.size >= maxCached) cache.delete(cache.keys().next().value!); // oldest first (insertion order)
    cache.set(ctx.encounter.id, ctx);
  };
  async function prefetch(lines: readonly SettlementLine[]): Promise<void> {
    const missing = [...new Set(lines.map((l) => l.encounterId).filter((id) => !cache.has(id)))];
    for (let i = 0; i < missing.length; i += 500) {
      const ids = missing.slice(i, i + 500);
      const rows = await store.query(`SELECT * FROM encounters WHERE id IN (${ids.map((_, k) => `$${k + 1}`).join(', ')})`, ids);
      for (const r of rows) {
        const encounter = toEncounter(r);
        const level = levels.get(encounter.institutionId);
        if (level) remember({ encounter, institutionLevel: level }); // unknown institution: load() reports it
      }
    }
  }
  return {
    prefetch,
    context: (line) => cache.get(line.encounterId) ?? load(line),
    resolveItemCode: (institutionId, localCode) => mappings.get(`${institutionId}\u0001${localCode}`),
  };
}
