import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COST_ITEMS, DepartmentCostSchema, DepartmentSchema, EncounterSchema, InstitutionSchema, InsuredPersonSchema, IRREGULARITY_TYPES,
  LabelSchema, PractitionerSchema, SettlementLineSchema, CatalogItemSchema, CodeMappingSchema, lineAmountFen,
} from '../domain/index.js';
import { compileScheme, groupAdrg, type SchemeLike } from './adrg-check.js';
import { detect, findBadRows, loadKnowledge, score } from './detectors.testkit.js';
import { generateRegion, isValidIdNumber, loadSynthSeed, type GeneratedRegion } from './index.js';

const OPTIONS = { hospitals: 3, inpatients: 1000, outpatients: 8000, years: 2, seed: 11 };
let r: GeneratedRegion;
let badIds: Set<string>;

beforeAll(() => {
  r = generateRegion(OPTIONS);
  badIds = new Set(r.badRows.map((b) => `${b.file}#${b.id}`));
});

const goodEncounters = (): GeneratedRegion['encounters'] => r.encounters.filter((e) => !badIds.has(`encounters.csv#${e.id}`));
const goodLines = (): GeneratedRegion['lines'] => r.lines.filter((l) => !badIds.has(`settlement-lines.csv#${l.id}`));

describe('generated region: shape and validity', () => {
  it('produces the requested volume over the requested years', () => {
    const kinds = (k: string): number => goodEncounters().filter((e) => e.kind === k).length;
    expect(kinds('inpatient')).toBeGreaterThanOrEqual(OPTIONS.inpatients); // + planned readmissions
    expect(kinds('outpatient') + kinds('online')).toBeGreaterThanOrEqual(OPTIONS.outpatients);
    expect(kinds('online')).toBeGreaterThan(0);
    expect(r.summary.dateRange).toEqual({ from: '2024-01-01', to: '2025-12-31' });
    const levels = new Set(r.institutions.map((i) => `${i.kind}:${i.level}`));
    expect(levels).toEqual(new Set(['hospital:3', 'hospital:2', 'hospital:1', 'primary-care:1', 'internet-hospital:3']));
    expect(new Set(r.departments.map((d) => d.costCategory))).toEqual(new Set(['clinical', 'medical-technical', 'medical-support', 'administrative']));
    expect(r.summary.densityOverflows).toBe(0);
  });

  it('every good row passes the domain schemas', () => {
    for (const x of r.institutions) InstitutionSchema.parse(x);
    for (const x of r.departments) DepartmentSchema.parse(x);
    for (const x of r.practitioners) PractitionerSchema.parse(x);
    for (const x of r.persons) InsuredPersonSchema.parse({ ...x, id: x.idNumber });
    for (const x of r.catalog) CatalogItemSchema.parse(x);
    for (const x of r.codeMap) CodeMappingSchema.parse(x);
    for (const x of r.departmentCosts) DepartmentCostSchema.parse(x);
    for (const x of r.labels) LabelSchema.parse(x);
    const map = new Map(r.codeMap.map((m) => [`${m.institutionId}|${m.localCode}`, m.nationalCode]));
    const failures: string[] = [];
    for (const e of goodEncounters()) if (!EncounterSchema.safeParse({ ...e, personId: e.personIdNumber }).success) failures.push(e.id);
    for (const l of goodLines()) if (!SettlementLineSchema.safeParse({ ...l, itemCode: l.itemCode || map.get(`${l.institutionId}|${l.localCode}`) }).success) failures.push(l.id);
    expect(failures).toEqual([]);
  });

  it('amounts are quantity × unit price rounded with lineAmountFen', () => {
    // one assertion over all rows: per-row expect() calls cost seconds at this volume
    expect(goodLines().filter((l) => l.amountFen !== lineAmountFen(l.quantity, l.unitPriceFen)).map((l) => l.id)).toEqual([]);
  });

  it('ids are unique and references resolve', () => {
    const unique = (xs: string[]): boolean => new Set(xs).size === xs.length;
    expect(unique(r.encounters.map((e) => e.id))).toBe(true);
    expect(unique(r.lines.map((l) => l.id))).toBe(true);
    expect(unique(r.persons.map((p) => p.idNumber))).toBe(true);
    expect(unique(r.codeMap.map((m) => `${m.institutionId}|${m.localCode}`))).toBe(true);
    const enc = new Map(r.encounters.map((e) => [e.id, e]));
    const docs = new Map(r.practitioners.map((p) => [p.id, p]));
    const depts = new Map(r.departments.map((d) => [d.id, d]));
    const persons = new Set(r.persons.map((p) => p.idNumber));
    const catalog = new Set(r.catalog.map((c) => c.code));
    const badEnc = r.encounters.filter((e) => !persons.has(e.personIdNumber) || docs.get(e.doctorId)?.departmentId !== e.departmentId || depts.get(e.departmentId)?.costCategory !== 'clinical');
    expect(badEnc.map((e) => e.id)).toEqual([]);
    const badLines = goodLines().filter((l) => {
      const e = enc.get(l.encounterId);
      return !e || e.institutionId !== l.institutionId || !docs.has(l.doctorId) || !depts.has(l.departmentId) || (l.itemCode !== '' && !catalog.has(l.itemCode));
    });
    expect(badLines.map((l) => l.id)).toEqual([]);
    for (const d of r.departments) if (d.parentId) expect(depts.get(d.parentId)?.institutionId).toBe(d.institutionId);
  });

  it('persons carry valid synthetic id numbers consistent with sex and birth date', () => {
    const wrong = r.persons.filter(
      (p) => !isValidIdNumber(p.idNumber) || p.idNumber.slice(0, 6) !== '990100' || p.idNumber.slice(6, 14) !== p.birthDate.replaceAll('-', '') || (Number(p.idNumber[16]) % 2 === 1 ? '1' : '2') !== p.sex,
    );
    expect(wrong).toEqual([]);
  });

  it('some lines use a local code with an empty national code, resolvable through code-map.csv', () => {
    const map = new Set(r.codeMap.map((m) => `${m.institutionId}|${m.localCode}`));
    const local = goodLines().filter((l) => l.localCode && !l.itemCode);
    expect(local.length).toBeGreaterThan(500);
    expect(local.filter((l) => !map.has(`${l.institutionId}|${l.localCode}`))).toEqual([]);
  });

  it('inpatient cases group into the ADRG of a CHS-DRG 2.0 template', () => {
    const dir = join(import.meta.dirname, '..', '..', 'data', 'schemes', 'chs-drg-2.0');
    const scheme = compileScheme(JSON.parse(readFileSync(join(dir, 'scheme.json'), 'utf8')) as SchemeLike, JSON.parse(readFileSync(join(dir, 'valid-procedures.json'), 'utf8')) as string[]);
    const adrgs = new Set(loadSynthSeed().templates.inpatient.map((t) => t.adrg));
    const inpatients = goodEncounters().filter((e) => e.kind === 'inpatient');
    const grouped = new Map<string, number>();
    const misfits: string[] = [];
    for (const e of inpatients) {
      const g = groupAdrg(scheme, { gender: e.sex, ageYears: e.ageYears, ageDays: e.ageDays, weightGrams: e.birthWeightGrams, diagnoses: e.diagnoses, procedures: e.procedures });
      if (g.status !== 'SUCCESS' || !adrgs.has(g.code)) misfits.push(`${e.id} ${e.diagnoses.join('|')} ${e.procedures.join('|')} → ${g.status} ${g.code}`);
      grouped.set(g.code, (grouped.get(g.code) ?? 0) + 1);
    }
    expect(misfits).toEqual([]);
    expect(grouped.size).toBeGreaterThan(35);
  });

  it('lengths of stay and costs are right-skewed (log-normal), by DRG', () => {
    const ip = goodEncounters().filter((e) => e.kind === 'inpatient');
    const los = ip.map((e) => e.losDays).sort((a, b) => a - b);
    const mean = los.reduce((a, b) => a + b, 0) / los.length;
    expect(mean).toBeGreaterThan(los[Math.floor(los.length / 2)]!); // mean > median
    const cost = new Map<string, number>();
    for (const l of goodLines()) cost.set(l.encounterId, (cost.get(l.encounterId) ?? 0) + l.amountFen);
    const costs = ip.map((e) => cost.get(e.id) ?? 0).sort((a, b) => a - b);
    expect(costs.reduce((a, b) => a + b, 0) / costs.length).toBeGreaterThan(costs[Math.floor(costs.length / 2)]!);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(costs)).toBeGreaterThan(150_000); // 1,500 yuan
    expect(median(costs)).toBeLessThan(3_000_000);
    // by DRG: joint replacement (IC2, implant) costs far more than respiratory infection (ES3)
    const byAdrg = (prefixes: string[], procs: boolean): number[] => ip.filter((e) => prefixes.some((p) => e.diagnoses[0]!.startsWith(p)) && (e.procedures.length > 0) === procs).map((e) => cost.get(e.id) ?? 0);
    expect(median(byAdrg(['M16', 'M17'], true))).toBeGreaterThan(5 * median(byAdrg(['J15', 'J18'], false)));
  });

  it('monthly department costs cover every department, month and cost item, growing with volume', () => {
    const months = new Set(r.departmentCosts.map((c) => c.month));
    expect(months.size).toBe(24);
    expect(r.departmentCosts.length).toBe(r.departments.length * 24 * COST_ITEMS.length);
    const drugCost = r.departmentCosts.filter((c) => c.costItem === 'drugs').reduce((a, c) => a + c.amountFen, 0);
    const drugRevenue = goodLines().filter((l) => l.category === 'drug').reduce((a, l) => a + l.amountFen, 0);
    expect(drugCost / drugRevenue).toBeGreaterThan(0.95);
    expect(drugCost / drugRevenue).toBeLessThan(1.01);
    // each institution's total cost tracks its revenue (near break-even)
    for (const inst of r.institutions) {
      const cost = r.departmentCosts.filter((c) => c.institutionId === inst.id).reduce((a, c) => a + c.amountFen, 0);
      const revenue = goodLines().filter((l) => l.institutionId === inst.id).reduce((a, l) => a + l.amountFen, 0);
      expect(cost / revenue, inst.id).toBeGreaterThan(0.9);
      expect(cost / revenue, inst.id).toBeLessThan(1.12);
    }
  });
});

describe('bad rows (importer quarantine fodder)', () => {
  it('bad-rows lists exactly the rows an independent validation rejects, under 0.5 % per file', () => {
    const found = findBadRows(r, loadKnowledge());
    expect(new Set(found.keys())).toEqual(badIds);
    for (const b of r.badRows) expect(found.get(`${b.file}#${b.id}`)).toBe(b.reason);
    expect(new Set(r.badRows.map((b) => b.reason)).size).toBe(6);
    const encShare = r.badRows.filter((b) => b.file === 'encounters.csv').length / r.encounters.length;
    const lineShare = r.badRows.filter((b) => b.file === 'settlement-lines.csv').length / r.lines.length;
    expect(encShare).toBeLessThan(0.005);
    expect(lineShare).toBeLessThan(0.005);
  });

  it('row numbers point at the listed rows and no label touches a bad row', () => {
    for (const b of r.badRows) {
      const list = b.file === 'encounters.csv' ? r.encounters : r.lines;
      expect(list[b.row - 1]!.id).toBe(b.id);
      expect(b.line).toBe(b.row + 1);
    }
    const touched = r.labels.filter((l) => l.encounterIds.some((e) => badIds.has(`encounters.csv#${e}`)) || l.lineIds.some((id) => badIds.has(`settlement-lines.csv#${id}`)));
    expect(touched).toEqual([]);
  });
});

describe('injected irregularities', () => {
  it('labels every type, a few per cent of encounters, with ids that exist', () => {
    const enc = new Set(r.encounters.map((e) => e.id));
    const lines = new Map(r.lines.map((l) => [l.id, l]));
    for (const t of IRREGULARITY_TYPES) expect(r.labels.filter((l) => l.type === t).length, t).toBeGreaterThan(10);
    const broken = r.labels.filter((l) => l.encounterIds.some((e) => !enc.has(e)) || l.lineIds.some((id) => !l.encounterIds.includes(lines.get(id)?.encounterId ?? '')));
    expect(broken).toEqual([]);
  });

  it('simple detectors of every pattern reach precision and recall 1 (clean baseline, detectable labels)', () => {
    const s = score(r.labels, detect(r, loadKnowledge()));
    for (const t of IRREGULARITY_TYPES) {
      expect(s[t].precision, `${t} precision ${JSON.stringify(s[t])}`).toBe(1);
      expect(s[t].recall, `${t} recall ${JSON.stringify(s[t])}`).toBe(1);
    }
  });

  it('a clean region (injectionScale 0) has no findings at all', () => {
    const clean = generateRegion({ hospitals: 2, inpatients: 300, outpatients: 2000, years: 1, seed: 5, injectionScale: 0, badRowScale: 0 });
    expect(clean.labels).toEqual([]);
    expect(clean.badRows).toEqual([]);
    const f = detect(clean, loadKnowledge());
    for (const t of IRREGULARITY_TYPES) expect([...f[t]], t).toEqual([]);
  });
});

describe('random small regions (property)', () => {
  test.prop(
    [fc.record({ hospitals: fc.integer({ min: 1, max: 4 }), inpatients: fc.integer({ min: 0, max: 120 }), outpatients: fc.integer({ min: 0, max: 700 }), years: fc.integer({ min: 1, max: 2 }), seed: fc.nat() })],
    // fixed seed: replayable in CI; the example that once found a stay between a split pair is pinned below
    { numRuns: 6, seed: 20251123, examples: [[{ hospitals: 1, inpatients: 114, outpatients: 641, years: 1, seed: 0 }]] },
  )('rows are consistent and every label is detected without false positives', (o) => {
    const g = generateRegion(o);
    const bad = new Set(g.badRows.map((b) => `${b.file}#${b.id}`));
    expect(new Set(g.encounters.map((e) => e.id)).size).toBe(g.encounters.length);
    expect(new Set(g.lines.map((l) => l.id)).size).toBe(g.lines.length);
    const enc = new Set(g.encounters.map((e) => e.id));
    expect(g.lines.filter((l) => !bad.has(`settlement-lines.csv#${l.id}`) && (!enc.has(l.encounterId) || l.amountFen !== lineAmountFen(l.quantity, l.unitPriceFen)))).toEqual([]);
    expect(new Set(findBadRows(g, loadKnowledge()).keys())).toEqual(bad);
    const s = score(g.labels, detect(g, loadKnowledge()));
    for (const t of IRREGULARITY_TYPES) expect([t, s[t].precision, s[t].recall]).toEqual([t, 1, 1]);
  });
});

describe('determinism and options', () => {
  const digest = (g: GeneratedRegion): string => createHash('sha256').update(JSON.stringify([g.encounters, g.lines, g.labels, g.persons, g.departmentCosts])).digest('hex');

  it('the same seed gives the same region; another seed another one', () => {
    const o = { hospitals: 1, inpatients: 100, outpatients: 800, years: 1, seed: 42 };
    expect(digest(generateRegion(o))).toBe(digest(generateRegion(o)));
    expect(digest(generateRegion({ ...o, seed: 43 }))).not.toBe(digest(generateRegion(o)));
  });

  it('rejects bad options with the field, the value and the reason', () => {
    expect(() => generateRegion({ ...OPTIONS, years: 0 })).toThrow(/years=0: must be 1–10/);
    expect(() => generateRegion({ ...OPTIONS, hospitals: 1.5 })).toThrow(/hospitals=1.5/);
    expect(() => generateRegion({ ...OPTIONS, regionCode: '12' })).toThrow(/regionCode=12/);
  });
});
