import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STALE_SCRATCH_MS, importScratchDir } from './staging.js';

describe('importScratchDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'medfund-scratch-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('sweeps folders a killed import left behind, keeps recent ones and other prefixes', () => {
    const now = Date.now();
    const mk = (name: string, ageMs: number): string => {
      const p = join(root, name);
      mkdirSync(p);
      writeFileSync(join(p, 'numbered.csv'), 'x');
      const t = (now - ageMs) / 1000;
      utimesSync(p, t, t);
      return p;
    };
    const stale = mk('medfund-native-old', STALE_SCRATCH_MS + 60_000);
    const running = mk('medfund-native-running', 60_000);
    const otherKind = mk('medfund-import-old', STALE_SCRATCH_MS + 60_000);
    const fresh = importScratchDir('medfund-native-', root, now);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(otherKind)).toBe(true); // swept by the next record-path import, not this one
    expect(existsSync(fresh)).toBe(true);
    expect(fresh.startsWith(join(root, 'medfund-native-'))).toBe(true);
  });
});
