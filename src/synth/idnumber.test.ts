import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { idCheckChar, isValidIdNumber, makeIdNumber } from './idnumber.js';
import { Prng, cumulative } from './prng.js';

describe('id numbers (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('computes the published check character example', () => {
    // the standard's own example number 11010519491231002X
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  test.prop([fc.integer({ min: 0, max: 998 }), fc.constantFrom('1' as const, '2' as const), fc.date({ min: new Date('1920-01-01'), max: new Date('2025-12-31'), noInvalidDate: true })])(
    'every generated number is valid and encodes sex and birth date',
    (seq, sex, date) => {
      const iso = date.toISOString().slice(0, 10);
      const id = makeIdNumber('990100', iso, seq, sex);
      expect(isValidIdNumber(id)).toBe(true);
      expect(id.slice(6, 14)).toBe(iso.replaceAll('-', ''));
      expect(Number(id[16]) % 2 === 1).toBe(sex === '1');
    },
  );

  it('detects a changed digit', () => {
    const id = makeIdNumber('990100', '1980-05-06', 12, '2');
    const changed = `${id.slice(0, 10)}${(Number(id[10]) + 1) % 10}${id.slice(11)}`;
    expect(isValidIdNumber(changed)).toBe(false);
  });
});

describe('seeded PRNG', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 })])('int stays in range', (seed, lo, span) => {
    const r = new Prng(seed);
    for (let i = 0; i < 50; i++) {
      const x = r.int(lo, lo + span);
      expect(x).toBeGreaterThanOrEqual(lo);
      expect(x).toBeLessThanOrEqual(lo + span);
    }
  });

  it('log-normal is right-skewed around its median and weighted follows the weights', () => {
    const r = new Prng(7);
    const xs = Array.from({ length: 4000 }, () => r.logNormal(8, 0.45)).sort((a, b) => a - b);
    expect(xs[2000]!).toBeGreaterThan(7.4);
    expect(xs[2000]!).toBeLessThan(8.6);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeGreaterThan(xs[2000]!);
    const cum = cumulative([1, 0, 3]);
    const n = [0, 0, 0];
    for (let i = 0; i < 4000; i++) n[r.weighted(cum)]!++;
    expect(n[1]).toBe(0);
    expect(n[2]! / n[0]!).toBeGreaterThan(2.5);
    expect(n[2]! / n[0]!).toBeLessThan(3.5);
  });
});
