/**
 * Where the master secret comes from: `MEDFUND_SECRET` (hex or base64, ≥ 32 bytes) wins; otherwise
 * a key file (`MEDFUND_SECRET_FILE`, default `.medfund/secret.key`) created with 32 random bytes and
 * mode 0600 on first use, so a demo install works out of the box and keeps its pseudonyms stable.
 * The importer must resolve keys the same way so its pseudonyms match the server's.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { deriveKeys, type SecurityKeys } from './crypto.js';
import { loadPseudonymKey } from '../ingest/pseudonym.js';

export const DEFAULT_SECRET_FILE = '.medfund/secret.key';

function parseSecret(text: string, source: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length < 32) throw new RangeError(`${source}: the master secret must be at least 32 bytes (64 hex characters)`);
  return buf;
}

export function resolveMasterSecret(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.MEDFUND_SECRET) return parseSecret(env.MEDFUND_SECRET, 'MEDFUND_SECRET');
  const file = env.MEDFUND_SECRET_FILE ?? DEFAULT_SECRET_FILE;
  if (existsSync(file)) return parseSecret(readFileSync(file, 'utf8'), file);
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * The pseudonymisation key, resolved by the importer's own loader (src/ingest/pseudonym.ts):
 * `MEDFUND_PSEUDONYM_KEY`, else the key file `MEDFUND_PSEUDONYM_KEY_FILE` (default
 * `.medfund/pseudonym.key`, created once with 0600). The key text itself is the HMAC key.
 */
export function resolvePseudonymKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  return Buffer.from(loadPseudonymKey(env), 'utf8');
}

/** The purpose keys of this installation (see {@link deriveKeys}). */
export function resolveKeys(env: NodeJS.ProcessEnv = process.env): SecurityKeys {
  return deriveKeys(resolveMasterSecret(env), resolvePseudonymKey(env));
}
