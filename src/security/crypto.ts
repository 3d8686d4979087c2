/**
 * Keyed primitives: pseudonymisation (keyed hash of a national id number) and field encryption at
 * rest (AES-256-GCM). Keys come from {@link resolveKeys}; nothing here logs its inputs.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { pseudonymise as ingestPseudonymise } from '../ingest/pseudonym.js';

/**
 * Keyed-hash pseudonym of a (synthetic) national id number: HMAC-SHA256(key, normalised id), hex,
 * first 32 characters (128 bits — collision-free at any realistic population, shorter in indexes).
 * Without the key the pseudonym cannot be recomputed from a guessed id number (a plain hash could,
 * since id numbers have little entropy).
 * The importer's implementation (src/ingest/pseudonym.ts), so imported persons and FHIR claims agree.
 * @example pseudonymise(keys.pseudonymKey, '110101199003077777') // → '3f2a…' (32 hex characters)
 */
export function pseudonymise(key: Buffer | string, idNumber: string): string {
  if (typeof idNumber !== 'string' || idNumber.trim() === '') throw new RangeError('pseudonymise: empty id number');
  return ingestPseudonymise(key, idNumber);
}

const ENC_PREFIX = 'enc:v1:';

/** Encrypt a text field with AES-256-GCM: `enc:v1:<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptField(key: Buffer, plaintext: string): string {
  if (key.length !== 32) throw new RangeError('encryptField: key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${ENC_PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

/** Decrypt a field written by {@link encryptField}; throws if the value was altered or the key is wrong. */
export function decryptField(key: Buffer, stored: string): string {
  if (!stored.startsWith(ENC_PREFIX)) throw new RangeError('decryptField: not an encrypted field');
  const [iv, tag, ct] = stored.slice(ENC_PREFIX.length).split('.');
  if (iv === undefined || tag === undefined || ct === undefined) throw new RangeError('decryptField: malformed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

export function isEncryptedField(value: string): boolean {
  return value.startsWith(ENC_PREFIX);
}

/** The four purpose keys, derived from one master secret with HKDF-SHA256 so one leak does not reveal the others. */
export interface SecurityKeys {
  /** HMAC key of patient pseudonyms — the importer must use the same one */
  readonly pseudonymKey: Buffer;
  /** AES-256-GCM key of encrypted fields */
  readonly encryptionKey: Buffer;
  /** HMAC key of the audit-log hash chain */
  readonly auditKey: Buffer;
  /** HMAC key of session tokens */
  readonly tokenKey: Buffer;
}

/**
 * Derive the purpose keys. The pseudonym key may be given separately: it must equal the importer's
 * key (MEDFUND_PSEUDONYM_KEY / .medfund/pseudonym.key) or pseudonyms would not match imported persons.
 */
export function deriveKeys(masterSecret: Buffer, pseudonymKey?: Buffer): SecurityKeys {
  if (masterSecret.length < 32) throw new RangeError('master secret must be at least 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterSecret, 'medfund-v1', info, 32));
  return {
    pseudonymKey: pseudonymKey ?? derive('pseudonym'),
    encryptionKey: derive('field-encryption'),
    auditKey: derive('audit-chain'),
    tokenKey: derive('session-token'),
  };
}
