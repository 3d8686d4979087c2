import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from './settle.js';

describe('medfund settle', () => {
  it('settles JSONL cases with per-person accumulators and rejects bad rows with field-level reasons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settle-'));
    const base = { kind: 'inpatient', scheme: 'employee', sex: '1', ageYears: 40, diagnoses: ['K35.800'] };
    const cases = [
      { encounter: { ...base, id: 'e1', personId: 'p1', dischargeDate: '2023-03-01' }, institutionLevel: '2', personType: 'in-service',
        lines: [{ id: 'a', itemCode: 'X1', category: 'drug', payClass: 'A', quantity: 1, unitPriceFen: 1060000, amountFen: 1060000, selfPayFirstPermille: 0 }] },
      { encounter: { ...base, id: 'e2', personId: 'p1', dischargeDate: '2023-06-01' }, institutionLevel: '2', personType: 'in-service',
        lines: [{ id: 'b', itemCode: 'X2', category: 'drug', payClass: 'B', quantity: 2, unitPriceFen: 5000, amountFen: 10000, selfPayFirstPermille: 200 }] },
      { encounter: { ...base, id: 'bad', dischargeDate: '2023-13-01' }, institutionLevel: '4', personType: 'in-service', lines: [] },
    ];
    writeFileSync(join(dir, 'in.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const program = new Command().exitOverride();
    register(program);
    const errs: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await program.parseAsync(['node', 'm', 'settle', '--policy', '440700', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'out.jsonl'), '--explain']);
    } finally {
      process.stderr.write = orig;
    }
    process.exitCode = undefined;
    const rows = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { encounterId: string; fundFen: number; deductibleFen: number; explanation: string[] });
    expect(rows.map((r) => r.encounterId)).toEqual(['e1', 'e2']);
    expect(rows[0]!.fundFen).toBe(900000);
    expect(rows[1]!.deductibleFen).toBe(8000); // second admission: the rule is per admission, in scope only 80
    expect(rows[0]!.explanation[0]).toContain('结算类别');
    const text = errs.join('');
    expect(text).toContain('dischargeDate');
    expect(text).toContain('institutionLevel');
    expect(text).toContain('settled 2');
  });
});
