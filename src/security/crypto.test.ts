import { describe, expect, it } from 'vitest';
import { test as propTest, fc } from '@fast-check/vitest';
import { pseudonymise as ingestPseudonymise } from '../ingest/pseudonym.js';
import { decryptField, deriveKeys, encryptField, isEncryptedField, pseudonymise } from './crypto.js';
import { hashPassword, verifyPassword } from './password.js';

const keys = deriveKeys(Buffer.alloc(32, 9));

describe('pseudonymise', () => {
  it('is keyed, stable under normalisation, and matches the importer', () => {
    const id = '11010119900307777x';
    const p = pseudonymise(keys.pseudonymKey, id);
    expect(p).toMatch(/^[0-9a-f]{32}$/);
    expect(pseudonymise(keys.pseudonymKey, ` ${id.toUpperCase()} `)).toBe(p);
    expect(pseudonymise(deriveKeys(Buffer.alloc(32, 1)).pseudonymKey, id)).not.toBe(p);
    expect(ingestPseudonymise(keys.pseudonymKey, id)).toBe(p);
    expect(() => pseudonymise(keys.pseudonymKey, '  ')).toThrow(/empty/);
  });
});

describe('field encryption (AES-256-GCM)', () => {
  propTest.prop([fc.string()])('round-trips any text and never stores it in clear', (text) => {
    const enc = encryptField(keys.encryptionKey, text);
    expect(isEncryptedField(enc)).toBe(true);
    if (text.length >= 4) expect(enc).not.toContain(text);
    expect(decryptField(keys.encryptionKey, enc)).toBe(text);
  });
  it('rejects an altered ciphertext and a wrong key', () => {
    const enc = encryptField(keys.encryptionKey, '张三 13800000000');
    const tampered = enc.slice(0, -2) + (enc.endsWith('A') ? 'BB' : 'AA');
    expect(() => decryptField(keys.encryptionKey, tampered)).toThrow();
    expect(() => decryptField(deriveKeys(Buffer.alloc(32, 2)).encryptionKey, enc)).toThrow();
  });
});

describe('passwords (scrypt)', () => {
  it('verifies the right password only and salts every hash', async () => {
    const a = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 });
    const b = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 });
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
    await expect(hashPassword('short')).rejects.toThrow(/at least 8/);
  });
});
