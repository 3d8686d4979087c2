/**
 * A small generated region for the browser test: `medfund synth` (the project's seeded synthetic
 * generator) writes it, the importer loads it, and every engine's demo step runs over it so the
 * dashboards have real results to show. Small enough to set up in seconds on 2 cores.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEMO_STEPS } from '../../src/cli/demo-steps/index.js';
import { importRegion } from '../../src/ingest/index.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from './build.js';
import { TEST_PSEUDONYM_KEY } from './server.js';

export const REGION = { hospitals: 2, inpatients: 400, outpatients: 1500, years: 1, seed: 7 } as const;

const SYNTH_COMMAND = join(ROOT, 'src/cli/commands/synth.ts');

export function synthAvailable(): boolean {
  return !!process.env.TMP_FIXTURE || existsSync(SYNTH_COMMAND);
}

export async function generateRegion(dir: string): Promise<void> {
  // the command module, registered on a bare program: the same code path as `medfund synth`
  const mod = (await import(SYNTH_COMMAND)) as { register(p: Command): void };
  const program = new Command('medfund').exitOverride();
  mod.register(program);
  await program.parseAsync(
    ['synth', '--out', dir, '--hospitals', String(REGION.hospitals), '--inpatients', String(REGION.inpatients),
      '--outpatients', String(REGION.outpatients), '--years', String(REGION.years), '--seed', String(REGION.seed)],
    { from: 'user' },
  );
}

export async function seedRegion(store: Store, dir: string): Promise<string[]> {
  if (process.env.TMP_FIXTURE) {
    const { seedFixtureData } = await import('../../src/server/test-fixtures.js');
    await seedFixtureData(store);
    return ['fixture'];
  }
  await generateRegion(dir);
  await importRegion(store, dir, { pseudonymKey: TEST_PSEUDONYM_KEY });
  const lines: string[] = [];
  for (const step of DEMO_STEPS) {
    lines.push(`${step.name}:`, ...(await step.run(store, { regionDir: dir, log: () => {} })));
  }
  return lines;
}
