/**
 * Synthetic resident id numbers (公民身份号码, GB 11643-1999): 6-digit region + 8-digit birth date +
 * 3-digit sequence (odd = male) + ISO 7064 MOD 11-2 check character. The generator uses the synthetic
 * pooling-region code (default 990100 — province code 99 does not exist), so a number can never belong
 * to a real person.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckChar(id.slice(0, 17)) === id[17];
}

/** Build an id number; `seq` 0..998, its parity is forced to the sex (odd male, even female). */
export function makeIdNumber(regionCode: string, birthDate: string, seq: number, sex: '1' | '2'): string {
  let s = seq - (seq % 2) + (sex === '1' ? 1 : 0);
  if (s > 999) s -= 2;
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
