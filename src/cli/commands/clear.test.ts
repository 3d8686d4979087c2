import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { seedSettlementFixture } from '../demo-steps/settlement.case.js';
import { register as registerClear } from './clear.js';
import { register as registerStats } from './stats.js';

async function capture(fn: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stdout.write = orig;
    process.stderr.write = origErr;
  }
  return out.join('');
}

describe('medfund clear / stats', () => {
  it('settles the store on first use, clears a year (global budget + DRG) and prints statistics as JSON', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'clear-')), 'm.duckdb');
    const store = await openStore({ db });
    await seedSettlementFixture(store);
    await store.close();
    const program = new Command().exitOverride();
    registerClear(program);
    registerStats(program);
    const cleared = JSON.parse(await capture(() => program.parseAsync(['node', 'm', 'clear', '--period', '2023', '--db', db, '--json']))) as {
      institutions: { institution_id: string; budget_fen: number }[]; drg: { cases: number } ; departments: number;
    };
    expect(cleared.institutions.map((r) => r.institution_id)).toEqual(['H1', 'H2']);
    expect(cleared.drg.cases).toBe(3);
    const stats = JSON.parse(await capture(() => program.parseAsync(['node', 'm', 'stats', '--by', 'scheme', '--db', db, '--json']))) as { encounters: number; groups: { key: string; totalFen: number }[] };
    expect(stats.encounters).toBe(4);
    expect(stats.groups.find((g) => g.key === 'resident')!.totalFen).toBe(500_000);
    await expect(program.parseAsync(['node', 'm', 'stats', '--by', 'colour', '--db', db])).rejects.toThrow(/--by must be one of/);
  });
});
