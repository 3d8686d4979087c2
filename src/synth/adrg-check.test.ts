import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScheme, groupAdrg, type SchemeLike } from './adrg-check.js';

const REF = join(import.meta.dirname, '..', '..', '..', 'shared', 'reference');

/** RFC 4180 line split (the examples quote fields that contain commas). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

function check(version: 'chs-drg-2.0' | 'chs-drg-1.1'): { compared: number; wrong: string[] } {
  const dir = join(REF, version);
  const scheme = compileScheme(JSON.parse(readFileSync(join(dir, 'scheme.json'), 'utf8')) as SchemeLike, JSON.parse(readFileSync(join(dir, 'valid-procedures.json'), 'utf8')) as string[]);
  const [header, ...rows] = readFileSync(join(dir, 'examples.csv'), 'utf8').trim().split('\n');
  const cols = splitCsv(header!);
  const at = (r: string[], c: string): string => r[cols.indexOf(c)]!;
  const wrong: string[] = [];
  let compared = 0;
  for (const line of rows) {
    const r = splitCsv(line);
    const status = at(r, 'expectedStatus');
    const gender = at(r, 'gender');
    if (status === 'CHECK_FAILED' || (gender !== '1' && gender !== '2')) continue;
    const list = (s: string): string[] => (s === '' ? (version === 'chs-drg-1.1' ? [''] : []) : s.split('|'));
    const g = groupAdrg(scheme, {
      gender, ageYears: Number(at(r, 'age')), ageDays: Number(at(r, 'ageDays')), weightGrams: Number(at(r, 'weightGrams')),
      diagnoses: list(at(r, 'diagnoses')), procedures: list(at(r, 'procedures')),
    });
    const expected = status === 'SUCCESS' ? at(r, 'expectedAdrg') : status === 'QY' ? at(r, 'expectedDrg') : '';
    const got = g.status === 'FAIL' ? '' : g.code;
    if (version === 'chs-drg-1.1' && status !== 'SUCCESS') continue; // 1.1 switched its ambiguous steps off
    compared++;
    if (got !== expected) wrong.push(`${at(r, 'id')}: ${got} ≠ ${expected}`);
  }
  return { compared, wrong };
}

describe('ADRG-level evaluator used to validate templates', () => {
  it('agrees with the CHS-DRG 2.0 worked examples (status and ADRG / ambiguous code)', () => {
    const { compared, wrong } = check('chs-drg-2.0');
    expect(compared).toBeGreaterThan(250);
    expect(wrong).toEqual([]);
  });

  it('agrees with the CHS-DRG 1.1 worked examples that group successfully', () => {
    const { compared, wrong } = check('chs-drg-1.1');
    expect(compared).toBeGreaterThan(150);
    expect(wrong).toEqual([]);
  });
});
