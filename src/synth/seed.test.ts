import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogItemSchema } from '../domain/index.js';
import { compileScheme, groupAdrg, type SchemeLike } from './adrg-check.js';
import { diagnosisSex, loadKnowledge } from './detectors.testkit.js';
import { loadSynthSeed } from './index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REF = join(ROOT, '..', 'shared', 'reference');
const seed = loadSynthSeed();
const codes = new Map(seed.catalog.items.map((i) => [i.code, i]));

describe('synth seed data (data/synth, data/knowledge)', () => {
  it('national items carry the real code and name and the national restrictions', () => {
    const drugs = JSON.parse(readFileSync(join(REF, 'nhsa-rules/catalog/drug-codes.json'), 'utf8')).entries as Record<string, { names: string[] }>;
    const services = JSON.parse(readFileSync(join(REF, 'nhsa-rules/catalog/service-codes.json'), 'utf8')).entries as Record<string, { names: string[] }>;
    const k = loadKnowledge();
    const national = seed.catalog.items.filter((i) => i.origin === 'nhsa');
    expect(national.length).toBeGreaterThan(40);
    for (const i of national) {
      const entry = drugs[i.code] ?? services[i.code];
      expect(entry?.names, i.code).toContain(i.name);
      expect(i.restrictions.sex, i.code).toBe(k.sex.get(i.code));
      if (k.paediatric.has(i.code)) expect(i.restrictions.maxAgeYears, i.code).toBeDefined();
      if (k.frequency.has(i.code)) expect(i.restrictions.maxQuantityPerDay, i.code).toBe(k.frequency.get(i.code));
    }
    for (const i of seed.catalog.items.filter((x) => x.origin === 'medfund-supplementary')) expect(i.code).toMatch(/^MF[SDC]\d{4}$/);
  });

  it('catalog items are valid and every knowledge item code is in the catalog', () => {
    for (const i of seed.catalog.items) CatalogItemSchema.parse({ ...i, effectiveFrom: '2023-01-01', effectiveTo: '2099-12-31' });
    for (const e of seed.evidence.entries) {
      expect(e.diagnosisPrefix).toMatch(/^[A-Z]\d\d$/);
      for (const c of e.evidenceItemCodes) expect(codes.has(c), c).toBe(true);
    }
    for (const e of seed.exams.entries) {
      expect(codes.get(e.itemCode)?.category, e.itemCode).toBe('service');
      for (const p of e.indicationPrefixes) expect(p).toMatch(/^[A-Z](\d(\d(\.\d)?)?)?$/);
    }
  });

  it('evidence prefixes are real ICD-10 categories containing CC/MCC codes of CHS-DRG 2.0', () => {
    const dx = Object.keys(JSON.parse(readFileSync(join(ROOT, 'data/schemes/chs-drg-2.0/diagnoses.json'), 'utf8')));
    const cc = JSON.parse(readFileSync(join(ROOT, 'data/schemes/chs-drg-2.0/cc.json'), 'utf8')) as Record<string, string>;
    const mcc = JSON.parse(readFileSync(join(ROOT, 'data/schemes/chs-drg-2.0/mcc.json'), 'utf8')) as Record<string, string>;
    for (const e of seed.evidence.entries) expect(dx.some((c) => c.startsWith(e.diagnosisPrefix) && (c in cc || c in mcc)), e.diagnosisPrefix).toBe(true);
  });

  it('every template code combination groups into its ADRG for the template sex', () => {
    const dir = join(ROOT, 'data/schemes/chs-drg-2.0');
    const scheme = compileScheme(JSON.parse(readFileSync(join(dir, 'scheme.json'), 'utf8')) as SchemeLike, JSON.parse(readFileSync(join(dir, 'valid-procedures.json'), 'utf8')) as string[]);
    const wrong: string[] = [];
    for (const t of seed.templates.inpatient) {
      for (const p of t.principals) {
        if (diagnosisSex(p.code) && diagnosisSex(p.code) !== t.sex) wrong.push(`${t.id} ${p.code} sex`);
        for (const sex of t.sex ? [t.sex] : (['1', '2'] as const)) {
          for (const proc of t.procedures.length ? t.procedures.map((x) => x.code) : [undefined]) {
            const dxs = [p.code, ...(t.requiredSecondary ? [t.requiredSecondary.code] : [])];
            const g = groupAdrg(scheme, { gender: sex, ageYears: t.age[0], ageDays: 0, weightGrams: 0, diagnoses: dxs, procedures: proc ? [proc] : [] });
            if (g.code !== t.adrg) wrong.push(`${t.id} ${dxs.join('|')} ${proc ?? ''} → ${g.code}`);
          }
        }
      }
      for (const c of [...t.drugs, ...(t.services ?? [])]) expect(codes.has(c), `${t.id} ${c}`).toBe(true);
    }
    expect(wrong).toEqual([]);
  });

  it('ships the provenance notices next to the data', () => {
    for (const f of ['NOTICE', 'NOTICE.nhsa-rules', 'NOTICE.chs-drg-2.0', 'NOTICE.chs-drg-1.1']) expect(existsSync(join(ROOT, 'data/synth', f)), f).toBe(true);
  });
});
