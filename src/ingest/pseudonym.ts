/**
 * Pseudonymisation at ingest: a person's national id number is replaced by HMAC-SHA256(key, id)
 * (hex, first 32 characters = 128 bits). The key comes from MEDFUND_PSEUDONYM_KEY or, for the
 * embedded default, a random key file created once next to the database; without the key the
 * pseudonym cannot be reversed or recomputed from an id number. The raw id never reaches the store
 * or a log line.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The one implementation of MedFund's pseudonym (src/security re-exports it for the server and FHIR).
 * Id numbers are normalised (trimmed, upper-case check character) so `…x` and ` …X ` agree.
 */
export function pseudonymise(key: string | Buffer, idNumber: string): string {
  return createHmac('sha256', key).update(idNumber.trim().toUpperCase(), 'utf8').digest('hex').slice(0, 32);
}

/** The pseudonymisation key: env MEDFUND_PSEUDONYM_KEY, else the key file (created with 0600 on first use). */
export function loadPseudonymKey(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.MEDFUND_PSEUDONYM_KEY;
  if (fromEnv) return fromEnv;
  const keyFile = env.MEDFUND_PSEUDONYM_KEY_FILE ?? '.medfund/pseudonym.key';
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim();
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(keyFile, key + '\n', { mode: 0o600 });
  return key;
}
