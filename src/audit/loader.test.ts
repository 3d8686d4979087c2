/** Loading validates every file and names the bad field; the watcher hot-reloads or reports. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MedfundError } from '../domain/index.js';
import { DEFAULT_DATA_DIR, compileRules, loadRuleLibrary, watchRuleLibrary } from './index.js';
import type { RuleLibrary } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'medfund-rules-'));
cpSync(join(DEFAULT_DATA_DIR, 'rules'), join(dir, 'rules'), { recursive: true });
cpSync(join(DEFAULT_DATA_DIR, 'knowledge'), join(dir, 'knowledge'), { recursive: true });
const rulesFile = join(dir, 'rules', 'medfund-rules.json');
const original = readFileSync(rulesFile, 'utf8');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadRuleLibrary', () => {
  it('loads the shipped library with every knowledge file', () => {
    const lib = loadRuleLibrary(dir);
    expect(lib.nationalClasses).toHaveLength(88);
    expect(Object.keys(lib.nhsa)).toHaveLength(21);
    expect(lib.diagnosisEvidence?.entries.length).toBeGreaterThan(0);
  });
  it('rejects a bad rule with the file and field named', () => {
    const bad = JSON.parse(original);
    bad.rules[0].action = 'punish';
    writeFileSync(rulesFile, JSON.stringify(bad));
    try {
      expect(() => loadRuleLibrary(dir)).toThrow(MedfundError);
      try {
        loadRuleLibrary(dir);
      } catch (err) {
        expect((err as MedfundError).issues[0]!.path).toMatch(/medfund-rules\.json#rules\.0\.action/);
      }
    } finally {
      writeFileSync(rulesFile, original);
    }
  });
  it('rejects a rule whose knowledge file is missing, naming the rule', () => {
    const lib = loadRuleLibrary(dir);
    const rules = { ...lib.rules, rules: [{ ...lib.rules.rules[0]!, knowledge: ['nhsa:no-such-file'] }] };
    expect(() => compileRules({ ...lib, rules }, { asOf: '2026-11-23' })).toThrow(/no-such-file/);
  });
});

describe('watchRuleLibrary', () => {
  it('reloads after an edit and reports an invalid edit instead of applying it', async () => {
    const reloaded: RuleLibrary[] = [];
    const errors: unknown[] = [];
    const stop = watchRuleLibrary((l) => reloaded.push(l), (e) => errors.push(e), dir, 50);
    try {
      const edited = JSON.parse(original);
      edited.version = '2099.1.1';
      writeFileSync(rulesFile, JSON.stringify(edited));
      await expect.poll(() => reloaded.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(reloaded.at(-1)!.rules.version).toBe('2099.1.1');
      writeFileSync(rulesFile, '{ not json');
      await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    } finally {
      stop();
      writeFileSync(rulesFile, original);
    }
  });
});
