/**
 * Password hashing with scrypt (node:crypto). Stored form: `scrypt$N$r$p$<salt b64url>$<hash b64url>`
 * so parameters can be raised later without invalidating existing hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

/** N=2^15, r=8, p=1 — OWASP's scrypt minimum; ~50 ms per hash on one core, 32 MiB memory. */
const DEFAULT = { N: 1 << 15, r: 8, p: 1 };
const KEY_LEN = 32;

export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = DEFAULT): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LEN, { ...params, maxmem: 128 * params.N * params.r * 2 });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && x > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scrypt(password.normalize('NFKC'), salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
