/**
 * A small generated region for the browser test: the project's seeded synthetic generator writes
 * the region files (as `medfund synth` does), the importer loads them, and every engine's demo step
 * runs over them so the dashboards have real results to show. Small enough to set up in seconds on
 * 2 cores; deterministic for the seed.
 */
import { DEMO_STEPS } from '../../src/cli/demo-steps/index.js';
import { importRegion } from '../../src/ingest/index.js';
import type { Store } from '../../src/store/store.js';
import { writeRegion } from '../../src/synth/index.js';
import { TEST_PSEUDONYM_KEY } from './server.js';

// 400 stays give more violations than the casework demo step walks through (200), so open cases
// remain for the browser to take through notify → appeal → decide.
export const REGION = { hospitals: 2, inpatients: 400, outpatients: 1500, years: 1, seed: 7 } as const;

/** Generate, import and run every engine's demo step; returns the steps' summary lines. */
export async function seedRegion(store: Store, dir: string): Promise<string[]> {
  writeRegion(dir, { ...REGION });
  await importRegion(store, dir, { pseudonymKey: TEST_PSEUDONYM_KEY });
  const lines: string[] = [];
  for (const step of DEMO_STEPS) {
    const t0 = performance.now();
    const out = await step.run(store, { regionDir: dir, log: () => {} });
    lines.push(`${step.name} (${((performance.now() - t0) / 1000).toFixed(1)} s):`, ...out.map((l) => `  ${l}`));
  }
  return lines;
}
