import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { group } from './group.js';
import { loadScheme, readSchemeTables } from './loader.js';
import type { DrgCase } from './types.js';

/** Arbitrary cases drawn from the scheme's own code lists (so they reach real groups) plus junk. */
function caseArb(name: string): fc.Arbitrary<DrgCase> {
  const t = readSchemeTables(name, { names: false });
  const dxPool = new Set<string>();
  const pxPool = new Set<string>();
  for (const [k, v] of Object.entries(t.scheme.lists)) {
    const target = k.includes('procedures') ? pxPool : dxPool;
    for (let i = 0; i < v.length; i += 7) target.add(v[i]!);
  }
  for (const k of Object.keys(t.mcc).slice(0, 400)) dxPool.add(k);
  for (const k of Object.keys(t.cc).slice(0, 400)) dxPool.add(k);
  for (let i = 0; i < t.validProcedures.length; i += 13) pxPool.add(t.validProcedures[i]!);
  const dx = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...dxPool) }, { weight: 1, arbitrary: fc.constantFrom('', 'X99.999', 'constructor') });
  const px = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...pxPool) }, { weight: 1, arbitrary: fc.constantFrom('', '99.9999') });
  const numText = fc.oneof(fc.constantFrom('', '0', '1', '28', '29', '65', 'abc', ' 3 ', '0x1f', '1e1'), fc.integer({ min: 0, max: 120 }).map(String));
  return fc.record(
    {
      gender: fc.constantFrom('1', '2', '男', '女', '9', ''),
      age: numText,
      ageDays: numText,
      weightGrams: fc.oneof(fc.constantFrom('', '0', '999', '1500', '2499', '2500'), fc.integer({ min: 0, max: 5000 }).map(String)),
      diagnoses: fc.array(dx, { minLength: 0, maxLength: 9 }),
      procedures: fc.array(px, { minLength: 0, maxLength: 5 }),
    },
    { requiredKeys: ['diagnoses'] },
  );
}

for (const name of ['chs-drg-1.1', 'chs-drg-2.0']) {
  describe(`${name} properties`, () => {
    const scheme = loadScheme(name);
    const arb = caseArb(name);

    test.prop([arb], { numRuns: 400, seed: 20261123 })('total: every input gets a known status, nothing throws', (c) => {
      const r = group(c, scheme);
      expect(Object.keys(scheme.statuses)).toContain(r.status);
      if (r.status === 'SUCCESS') {
        const info = scheme.drgInfo.get(r.drg)!;
        expect(info.adrg).toBe(r.adrg);
        expect(r.mdc).toBe(`MDC${r.drg.charAt(0)}`);
        expect(r.trace.adrgRule).toBeTruthy();
      }
    });

    test.prop([arb], { numRuns: 300, seed: 7 })('deterministic: the same case always gives the same result and trace', (c) => {
      expect(group(structuredClone(c), scheme)).toEqual(group(c, scheme));
    });

    test.prop([arb, fc.integer()], { numRuns: 400, seed: 11 })('order of secondary diagnoses does not change the result', (c, salt) => {
      const dx = [...(c.diagnoses ?? [])];
      const head = dx.slice(0, 1);
      const rest = dx.slice(1);
      // deterministic shuffle from the salt (no Math.random in properties)
      let s = salt >>> 0;
      for (let i = rest.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const j = s % (i + 1);
        [rest[i], rest[j]] = [rest[j]!, rest[i]!];
      }
      const a = group(c, scheme);
      const b = group({ ...c, diagnoses: [...head, ...rest] }, scheme);
      expect([b.status, b.mdc, b.adrg, b.drg]).toEqual([a.status, a.mdc, a.adrg, a.drg]);
    });

    it('never throws on absent fields', () => {
      const r = group({}, scheme);
      expect(r.status).toBe('CHECK_FAILED');
      expect(r.trace.validation?.code).toBe('gender-missing');
    });
  });
}
