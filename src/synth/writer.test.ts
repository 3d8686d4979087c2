import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LABELS_FILE, REGION_FILES } from '../domain/index.js';
import { register } from '../cli/commands/synth.js';
import { BAD_ROWS_FILE, MANIFEST_FILE, generateRegion } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'medfund-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('medfund synth (writer + command)', () => {
  it('writes exactly the region files with their columns, labels, bad rows and a manifest matching the in-memory generator', async () => {
    const out = join(dir, 'r1');
    const program = new Command().exitOverride();
    register(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let stdout = '';
    try {
      await program.parseAsync(['node', 'medfund', 'synth', '--out', out, '--hospitals', '2', '--inpatients', '150', '--outpatients', '1200', '--years', '1', '--seed', '9', '--json']);
      stdout = write.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      write.mockRestore();
    }
    const printed = JSON.parse(stdout) as { counts: Record<string, number>; elapsedSeconds: number };
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as { counts: Record<string, number>; seed: number; generatorVersion: string; parameters: Record<string, unknown>; files: string[] };
    expect(manifest.seed).toBe(9);
    expect(manifest.parameters).toMatchObject({ hospitals: 2, inpatients: 150, outpatients: 1200, years: 1 });
    expect(printed.counts).toEqual(manifest.counts);
    const mem = generateRegion({ hospitals: 2, inpatients: 150, outpatients: 1200, years: 1, seed: 9, endDate: '2025-12-31', regionCode: '990100' });
    for (const f of Object.values(REGION_FILES)) {
      const lines = readFileSync(join(out, f.file), 'utf8').split('\n');
      expect(lines[0]).toBe(f.columns.join(','));
      expect(lines.at(-1)).toBe('');
      expect(lines.length - 2, f.file).toBe(manifest.counts[f.file]);
    }
    const encLines = readFileSync(join(out, 'encounters.csv'), 'utf8').split('\n');
    expect(encLines.length - 2).toBe(mem.encounters.length);
    const labels = readFileSync(join(out, LABELS_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(labels).toEqual(mem.labels);
    // every bad row's physical line holds the listed id
    const bad = readFileSync(join(out, BAD_ROWS_FILE), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; line: number; id: string });
    for (const b of bad) expect(readFileSync(join(out, b.file), 'utf8').split('\n')[b.line - 1]!.split(',')[0]).toBe(b.id);
  });

  it('rejects an invalid option with the option, the value and the allowed range', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    register(program);
    await expect(program.parseAsync(['node', 'medfund', 'synth', '--out', join(dir, 'x'), '--years', 'three'])).rejects.toThrow(/--years: "three" is not an integer in \[1, 10\]/);
  });
});
