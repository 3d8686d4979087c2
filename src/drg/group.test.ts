import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScheme } from './compile.js';
import { caseColumnIndex, caseFromRow, splitCsvRecord } from './csv.js';
import { group } from './group.js';
import { chooseScheme, listSchemes, loadScheme, readSchemeTables } from './loader.js';

const SHARED = new URL('../../../shared/reference/', import.meta.url);

function readExamples(name: string): string[][] {
  const text = readFileSync(new URL(`${name}/examples.csv`, SHARED), 'utf8');
  const rows: string[][] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    const rec = pending ? `${pending}\n${line}` : line;
    if (rec === '') continue;
    const f = splitCsvRecord(rec.replace(/\r$/, ''));
    if (f === null) pending = rec;
    else {
      pending = '';
      rows.push(f);
    }
  }
  return rows;
}

for (const name of ['chs-drg-1.1', 'chs-drg-2.0']) {
  describe(`${name} examples.csv`, () => {
    const scheme = loadScheme(name);
    const [header, ...rows] = readExamples(name);
    const idx = caseColumnIndex(header!);
    const col = (c: string) => header!.indexOf(c);
    it('has 300 examples', () => expect(rows.length).toBe(300));
    it('groups every example exactly as expected', () => {
      const wrong: string[] = [];
      for (const f of rows) {
        const r = group(caseFromRow(f, idx, scheme), scheme);
        const exp = [f[col('expectedStatus')], f[col('expectedMdc')], f[col('expectedAdrg')], f[col('expectedDrg')]];
        const got = [r.status, r.mdc, r.adrg, r.drg];
        if (JSON.stringify(exp) !== JSON.stringify(got)) wrong.push(`#${f[0]} expected ${exp.join('/')} got ${got.join('/')}`);
      }
      expect(wrong).toEqual([]);
    });
  });
}

describe('trace', () => {
  const name = 'chs-drg-1.1';
  const scheme = loadScheme(name);
  const t = readSchemeTables(name, { names: false });
  // a principal diagnosis and a secondary MCC of the same exclusion table, found in the data
  const [principal, table] = Object.entries(t.ccExclusion).find(([, x]) => Object.values(t.mcc).includes(x))!;
  const excludedMcc = Object.entries(t.mcc).find(([, x]) => x === table)![0];
  const countingMcc = Object.entries(t.mcc).find(([, x]) => x !== table)![0];

  it('names the CC/MCC found and the exclusion that removed it', () => {
    const r = group({ gender: '1', age: '50', diagnoses: [principal, excludedMcc, countingMcc], procedures: [] }, scheme);
    const sev = r.trace.severity!;
    expect(sev.exclusionTable).toBe(table);
    expect(sev.items).toEqual([
      { position: 1, code: excludedMcc, level: 'mcc', table, excluded: true },
      { position: 2, code: countingMcc, level: 'mcc', table: t.mcc[countingMcc], excluded: false },
    ]);
    expect(sev.hasMcc).toBe(true);
    const alone = group({ gender: '1', age: '50', diagnoses: [principal, excludedMcc], procedures: [] }, scheme);
    expect(alone.trace.severity?.hasMcc).toBe(false);
    expect(JSON.parse(JSON.stringify(alone.trace)).severity.items[0].excluded).toBe(true);
  });

  it('records MDC fall-through and the rules that matched', () => {
    const scheme20 = loadScheme('chs-drg-2.0');
    const r = group({ gender: '2', age: '40', ageDays: '', weightGrams: '', diagnoses: ['N80.000'], procedures: [] }, scheme20);
    expect(r.trace.mdcsEntered[0]).toBe('MDCA');
    if (r.status === 'SUCCESS') {
      expect(r.trace.mdcsEntered.at(-1)).toBe(r.mdc);
      expect(r.trace.adrgRule).toMatch(/principalDiagnosisIn/);
      expect(r.trace.drgRule).toBeTruthy();
    }
  });

  it('explains a validation failure', () => {
    const s20 = loadScheme('chs-drg-2.0');
    const r = group({ gender: '男', age: '40', diagnoses: ['N80.000'], procedures: [] }, s20);
    expect(r).toMatchObject({ status: 'CHECK_FAILED', mdc: '', trace: { validation: { code: 'gender-invalid', path: 'gender' } } });
    const r11 = group({ gender: '男', age: '40', diagnoses: ['N80.000'], procedures: [] }, scheme);
    expect(r11.status).not.toBe('CHECK_FAILED');
  });
});

describe('schemes', () => {
  it('lists both national schemes and chooses by discharge date', () => {
    expect(listSchemes().map((s) => s.name)).toEqual(expect.arrayContaining(['chs-drg-1.1', 'chs-drg-2.0']));
    expect(chooseScheme('2024-12-31')).toBe('chs-drg-1.1');
    expect(chooseScheme('2025-01-01')).toBe('chs-drg-2.0');
    expect(chooseScheme('2025-06-30', [{ scheme: 'chs-drg-1.1', from: '2021-01-01', to: '2025-06-30' }])).toBe('chs-drg-1.1');
    expect(() => chooseScheme('2025/01/01')).toThrow(/ISO date/);
  });

  it('rejects an unknown scheme with the list of known ones', () => {
    expect(() => loadScheme('chs-drg-9.9')).toThrow(/unknown DRG scheme "chs-drg-9.9".*chs-drg-1.1/);
  });

  it('loads a third (local) scheme side by side with no code change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drg-local-'));
    const folder = join(dir, 'city-drg-1.0');
    mkdirSync(folder);
    const profile = { ...readSchemeTables('chs-drg-2.0', { names: false }).profile, name: 'city-drg-1.0', title: 'City DRG', effectiveFrom: '2026-01-01' };
    const scheme = {
      scheme: 'CITY', version: '1.0', formatVersion: 2,
      statuses: { SUCCESS: { label: '分组成功' }, FAIL: { label: '无法入组' }, CHECK_FAILED: { label: '信息校验不通过' }, QY: { label: '歧义病案' } },
      mdcOrder: ['MDCK'],
      mdcs: { MDCK: { name: '测试', entry: { principalDiagnosisIn: 'MDCK' }, adrgs: ['KZ1'], ambiguous: [{ before: 'KZ1', when: { principalProcedureValid: true }, code: 'KQY' }] } },
      adrgs: { KZ1: { mdc: 'MDCK', name: '测试组', entry: { always: true }, drgs: ['KZ11', 'KZ15'] } },
      drgs: { KZ11: { adrg: 'KZ1', name: '伴MCC', when: { hasMcc: true } }, KZ15: { adrg: 'KZ1', name: '不伴', when: { always: true } } },
      lists: { MDCK: ['E11.900'] },
      tagTables: {},
    };
    const files: Record<string, unknown> = {
      'profile.json': profile, 'scheme.json': scheme, 'cc.json': {}, 'mcc.json': { 'I50.900': '7' },
      'cc-exclusion.json': {}, 'valid-procedures.json': ['36.0600'], 'drg-names.json': { KZ11: '伴MCC', KZ15: '不伴', KQY: 'K_歧义组' },
    };
    for (const [f, v] of Object.entries(files)) writeFileSync(join(folder, f), JSON.stringify(v));
    const local = loadScheme('city-drg-1.0', { dir });
    const base = { gender: '1', age: '60', ageDays: '', weightGrams: '' };
    expect(group({ ...base, diagnoses: ['E11.900', 'I50.900'], procedures: [] }, local)).toMatchObject({ status: 'SUCCESS', mdc: 'MDCK', adrg: 'KZ1', drg: 'KZ11' });
    expect(group({ ...base, diagnoses: ['E11.900'], procedures: ['36.0600'] }, local)).toMatchObject({ status: 'QY', drg: 'KQY' });
    expect(group({ ...base, diagnoses: ['I10.x00'], procedures: [] }, local)).toMatchObject({ status: 'FAIL', drg: '0000' });
    expect(listSchemes(dir).map((s) => s.name)).toEqual(['city-drg-1.0']);
    // the national schemes are unaffected
    expect(loadScheme('chs-drg-2.0').name).toBe('chs-drg-2.0');
  });

  it('reports a broken rule at load time, naming it', () => {
    const t = readSchemeTables('chs-drg-2.0', { names: false });
    const bad = { ...t, scheme: { ...t.scheme, adrgs: { ...t.scheme.adrgs, AA1: { ...t.scheme.adrgs['AA1']!, entry: { principalProcedureIn: 'NO.SUCH.LIST' } } } } };
    expect(() => compileScheme(bad)).toThrow(/adrgs\.AA1\.entry.*unknown code list "NO.SUCH.LIST"|unknown code list "NO.SUCH.LIST"/);
  });
});

describe('1.1 transcoding mode (FORMAT.md § 4.1)', () => {
  const plain = loadScheme('chs-drg-1.1');
  const t = loadScheme('chs-drg-1.1', { transcoding: true });
  const base = { gender: '1', age: '40', ageDays: '', weightGrams: '' };
  it('maps legacy codes before grouping and records the rewrite', () => {
    const r = group({ ...base, diagnoses: ['A01.000x002'], procedures: [] }, t);
    expect(r.trace.transcoded).toEqual(['diagnoses[0] A01.000x002 → A01.003']);
    expect(r).toEqual(expect.objectContaining({ status: group({ ...base, diagnoses: ['A01.003'], procedures: [] }, plain).status }));
  });
  it('stops with ZD_NOT_MAPPING / SS_NOT_MAPPING on unmappable codes', () => {
    expect(group({ ...base, diagnoses: ['NOPE'], procedures: [] }, t)).toMatchObject({ status: 'ZD_NOT_MAPPING', drg: '0000' });
    // a blank procedure is not a key of the map; an empty list passes
    expect(group({ ...base, diagnoses: ['A01.003'], procedures: [''] }, t)).toMatchObject({ status: 'SS_NOT_MAPPING' });
    expect(group({ ...base, diagnoses: ['A01.003'], procedures: [] }, t).status).not.toBe('SS_NOT_MAPPING');
  });
  it('is off by default', () => {
    expect(group({ ...base, diagnoses: ['NOPE'], procedures: [] }, plain).status).toBe('FAIL');
  });
});
