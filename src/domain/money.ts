/**
 * Money is integer fen (分) end to end. Yuan appear only when formatting for people.
 *
 * Every rounding in MedFund goes through {@link roundFen} so the rule is explicit and in one
 * place; docs/formulas.md § Rounding lists where each mode is used and why.
 */

/** An amount in fen (1 yuan = 100 fen). Safe integer; fund totals that may exceed 2^53 use bigint. */
export type Fen = number;

/**
 * half-up: round half away from zero — the national settlement convention (结算四舍五入到分).
 * down:    truncate towards zero — used where a limit must never be exceeded (e.g. caps).
 * bankers: half to even — used for statistical aggregates so bias does not accumulate.
 */
export type RoundingMode = 'half-up' | 'down' | 'bankers';

const EPSILON = 1e-9;

/** Round a (possibly fractional) fen value to an integer number of fen. */
export function roundFen(value: number, mode: RoundingMode = 'half-up'): Fen {
  if (!Number.isFinite(value)) throw new RangeError(`roundFen: not a finite number: ${value}`);
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  switch (mode) {
    case 'half-up':
      // EPSILON absorbs binary noise such as 0.5 stored as 0.49999999999.
      return sign * Math.floor(abs + 0.5 + EPSILON) || 0;
    case 'down':
      return sign * Math.floor(abs + EPSILON) || 0;
    case 'bankers': {
      const floor = Math.floor(abs);
      const diff = abs - floor;
      let r: number;
      if (Math.abs(diff - 0.5) < EPSILON) r = floor % 2 === 0 ? floor : floor + 1;
      else r = diff > 0.5 ? floor + 1 : floor;
      return sign * r || 0;
    }
  }
}

/** Amount of a charge line: quantity × unit price, rounded half-up to the fen. */
export function lineAmountFen(quantity: number, unitPriceFen: Fen): Fen {
  return roundFen(quantity * unitPriceFen, 'half-up');
}

/** Apply a ratio (0..1) to an amount, rounding half-up. */
export function applyRatio(amountFen: Fen, ratio: number, mode: RoundingMode = 'half-up'): Fen {
  return roundFen(amountFen * ratio, mode);
}

/** Parse a yuan string such as "12.34" or "-0.5" into exact fen without floating-point error. */
export function yuanToFen(text: string): Fen {
  const m = /^\s*(-)?(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) throw new RangeError(`not a yuan amount with at most 2 decimals: "${text}"`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** Format fen as yuan with two decimals, e.g. 123456 → "1234.56". */
export function formatYuan(fen: Fen | bigint): string {
  const big = typeof fen === 'bigint' ? fen : BigInt(fen);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const yuan = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${yuan.toString()}.${cents}`;
}

/**
 * Split a total into integer parts proportional to weights so the parts sum exactly to the total
 * (largest-remainder / Hamilton method; ties go to the earlier index, so the result is deterministic).
 */
export function allocateLargestRemainder(totalFen: Fen, weights: readonly number[]): Fen[] {
  const n = weights.length;
  if (n === 0) return [];
  let weightSum = 0;
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`allocation weight must be finite and ≥ 0: ${w}`);
    weightSum += w;
  }
  if (weightSum === 0) throw new RangeError('allocation weights sum to zero');
  const sign = totalFen < 0 ? -1 : 1;
  const abs = Math.abs(totalFen);
  const parts = new Array<number>(n);
  const remainders = new Array<number>(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const exact = (abs * weights[i]!) / weightSum;
    const floor = Math.floor(exact);
    parts[i] = floor;
    // Rounded so that remainders equal up to floating-point noise tie exactly (then the earlier index wins).
    remainders[i] = Math.round((exact - floor) * 1e9) / 1e9;
    assigned += floor;
  }
  let left = abs - assigned;
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
    for (let k = 0; left > 0; k++, left--) parts[order[k % n]!]! += 1;
  }
  return parts.map((p) => sign * p || 0);
}
