/**
 * Policy loader: the only file of src/settlement that does I/O (the CLI, demo and benchmarks use it;
 * the engine itself takes parsed policies). Files live under data/policies/<regionCode>/<from>.json.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MedfundError, issue } from '../domain/index.js';
import { parsePolicy } from './policy.js';
import type { Policy } from './policy.js';

/** data/policies of this checkout */
export const POLICY_DIR = fileURLToPath(new URL('../../data/policies', import.meta.url));

export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MedfundError([issue('policy-not-found', 'policy', `cannot read policy file ${path}: ${(err as Error).message}`)], { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MedfundError([issue('invalid-policy', 'policy', `${path} is not valid JSON: ${(err as Error).message}`)], { cause: err });
  }
  return parsePolicy(json, path);
}

/** Every policy under `dir` (default data/policies), ordered by region then effective date. */
export function loadPolicies(dir: string = POLICY_DIR): Policy[] {
  const out: Policy[] = [];
  for (const region of readdirSync(dir).sort()) {
    const rdir = join(dir, region);
    if (!statSync(rdir).isDirectory()) continue;
    for (const f of readdirSync(rdir).sort()) if (f.endsWith('.json')) out.push(loadPolicyFile(join(rdir, f)));
  }
  return out;
}

/**
 * Resolve `--policy`: a file path, or a policy id / region code found under data/policies
 * (a region code picks the newest version).
 */
export function resolvePolicy(ref: string, dir: string = POLICY_DIR): Policy {
  if (ref.endsWith('.json')) return loadPolicyFile(ref);
  const all = loadPolicies(dir);
  const byId = all.find((p) => p.id === ref);
  if (byId) return byId;
  const byRegion = all.filter((p) => p.region.code === ref);
  if (byRegion.length) return byRegion[byRegion.length - 1]!;
  throw new MedfundError([issue('policy-not-found', 'policy', `no policy "${ref}" (known: ${all.map((p) => p.id).join(', ')})`)]);
}
