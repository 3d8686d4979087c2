import { describe, expect, it } from 'vitest';
import { test as propTest, fc } from '@fast-check/vitest';
import { allocateLargestRemainder, formatYuan, lineAmountFen, roundFen, yuanToFen } from './money.js';

describe('roundFen', () => {
  it('rounds half away from zero by default', () => {
    expect(roundFen(0.5)).toBe(1);
    expect(roundFen(1.4999)).toBe(1);
    expect(roundFen(1.4999999999999)).toBe(2); // within EPSILON of .5: binary noise, treated as half
    expect(roundFen(-2.5)).toBe(-3);
    expect(roundFen(2.675 * 100 / 100)).toBe(3);
  });
  it('truncates in down mode and rounds half to even in bankers mode', () => {
    expect(roundFen(9.99, 'down')).toBe(9);
    expect(roundFen(2.5, 'bankers')).toBe(2);
    expect(roundFen(3.5, 'bankers')).toBe(4);
  });
  it('computes line amounts exactly for decimal quantities', () => {
    expect(lineAmountFen(0.5, 1999)).toBe(1000);
    expect(lineAmountFen(3, 1234)).toBe(3702);
  });
});

describe('yuan conversion', () => {
  it('parses yuan text exactly', () => {
    expect(yuanToFen('12.34')).toBe(1234);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('-5')).toBe(-500);
    expect(() => yuanToFen('1.234')).toThrow(/at most 2 decimals/);
  });
  it('formats fen as yuan', () => {
    expect(formatYuan(123456)).toBe('1234.56');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(10n ** 17n)).toBe('1000000000000000.00');
  });
});

describe('allocateLargestRemainder', () => {
  it('splits 100 fen in thirds deterministically', () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
  it('breaks ties that differ only by floating-point noise in favour of the earlier part', () => {
    // 0.1 + 0.2 ≠ 0.3 in binary: the two halves must still tie and the first one gets the fen.
    expect(allocateLargestRemainder(1, [0.1 + 0.2, 0.3])).toEqual([1, 0]);
    expect(allocateLargestRemainder(1, [0.3, 0.1 + 0.2])).toEqual([1, 0]);
  });
  propTest.prop([fc.integer({ min: 0, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 })])(
    'parts are non-negative and sum exactly to the total',
    (total, weights) => {
      fc.pre(weights.some((w) => w > 0));
      const parts = allocateLargestRemainder(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      for (const [i, p] of parts.entries()) {
        expect(p).toBeGreaterThanOrEqual(0);
        if (weights[i] === 0) expect(p).toBe(0);
      }
    },
  );
});
