import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { splitCsvRecord } from '../../drg/index.js';
import { register } from './group.js';

async function cli(...args: string[]): Promise<void> {
  const program = new Command('medfund').exitOverride();
  register(program);
  await program.parseAsync(['node', 'medfund', ...args]);
}

describe('medfund group', () => {
  for (const scheme of ['chs-drg-1.1', 'chs-drg-2.0']) {
    it(`--in/--out reproduces examples.csv of ${scheme}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'drg-cli-'));
      const lines = readFileSync(new URL(`../../../../shared/reference/${scheme}/examples.csv`, import.meta.url), 'utf8').trim().split('\n');
      const rows = lines.map((l) => splitCsvRecord(l)!);
      // cases.csv = the first ten columns, re-quoted as standard CSV
      const q = (v: string) => (/[",]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      writeFileSync(join(dir, 'cases.csv'), rows.map((r) => r.slice(0, 10).map(q).join(',')).join('\n') + '\n');
      await cli('group', '--in', join(dir, 'cases.csv'), '--out', join(dir, 'groups.csv'), '--scheme', scheme, '--json');
      const out = readFileSync(join(dir, 'groups.csv'), 'utf8').trim().split('\n').map((l) => splitCsvRecord(l)!);
      expect(out[0]).toEqual(['id', 'status', 'mdc', 'adrg', 'drg']);
      expect(out.slice(1)).toEqual(rows.slice(1).map((r) => [r[0], ...r.slice(10, 14)]));
    });
  }

  it('rejects a file without the case columns, naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drg-cli-'));
    writeFileSync(join(dir, 'bad.csv'), 'id,gender\n1,1\n');
    await expect(cli('group', '--in', join(dir, 'bad.csv'), '--out', join(dir, 'o.csv'))).rejects.toThrow(/age, ageDays/);
  });
});
