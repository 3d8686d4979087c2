/**
 * The parallel batch (workers split by person + global part on the calling thread) must give exactly
 * the single-threaded result: same violations, same deterministic ids, same lines, amounts, evidence;
 * encounter-level violations in the same order.
 */
import { describe, expect, it } from 'vitest';
import type { Encounter, InstitutionLevel, SettlementLine } from '../domain/index.js';
import { generateRegion } from '../synth/index.js';
import { compileRules, createBatchAudit, loadRuleLibrary, toColumns } from './index.js';
import type { Violation } from './index.js';
import { createParallelBatchAudit } from './parallel-batch.js';
import { violationId } from './store-audit.js';
import { Decoder, Encoder } from './wire.js';

const CROSS = new Set(['split-admission', 'readmission', 'frequent-visits', 'doctor-high-frequency', 'peer-cost-outlier', 'cost-shifting', 'item-period-frequency', 'drug-second-line']);
const key = (v: Violation): string => `${v.ruleId}|${v.encounterId}`;
const sorted = (vs: Violation[]): Violation[] => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('wire codec', () => {
  it('round-trips plain values with key order, repeated strings and shapes, long strings and non-plain values', () => {
    const enc = new Encoder();
    const dec = new Decoder();
    const d = new Date(0);
    const a = [{ b: 1, a: 'x', n: null, u: undefined, t: true, f: false, arr: ['x', -0, 2.5, ['y']], o: { z: 'x'.repeat(60) } }, 'x', 7, d];
    for (const v of a) enc.item(v);
    const first = dec.decode(enc.take());
    expect(first).toEqual(a);
    expect(Object.keys(first[0] as object)).toEqual(['b', 'a', 'n', 'u', 't', 'f', 'arr', 'o']);
    expect(Object.is(((first[0] as { arr: unknown[] }).arr[1]), -0)).toBe(true);
    // a second take reuses the strings and shapes sent before
    enc.item({ b: 2, a: 'x', n: null, u: undefined, t: false, f: true, arr: [], o: { z: 'x' } });
    const second = enc.take();
    expect(second.newStrings).toEqual([]);
    expect(second.newShapes).toEqual([]);
    expect(dec.decode(second)).toEqual([{ b: 2, a: 'x', n: null, u: undefined, t: false, f: true, arr: [], o: { z: 'x' } }]);
  });
});

describe('createParallelBatchAudit', () => {
  it('gives the single-threaded violations on a generated region (2 workers, small batches)', async () => {
    const region = generateRegion({ hospitals: 2, inpatients: 400, outpatients: 2500, years: 1, seed: 23, badRowScale: 0 });
    const mapped = new Map(region.codeMap.map((m) => [`${m.institutionId}|${m.localCode}`, m.nationalCode]));
    const level = new Map(region.institutions.map((i) => [i.id, i.level]));
    const plan = compileRules(loadRuleLibrary(), {
      asOf: '2026-11-23',
      region: { catalog: region.catalog, codeMappings: region.codeMap, practitionerTitles: new Map(region.practitioners.map((p) => [p.id, p.title])) },
    });
    const linesOf = new Map<string, SettlementLine[]>();
    for (const l of region.lines) {
      const line: SettlementLine = { ...l, itemCode: l.itemCode || mapped.get(`${l.institutionId}|${l.localCode}`) || l.localCode };
      const g = linesOf.get(l.encounterId);
      if (g) g.push(line);
      else linesOf.set(l.encounterId, [line]);
    }
    const cases = region.encounters.map((r) => {
      const { personIdNumber, ...rest } = r;
      const e: Encounter = { ...rest, personId: personIdNumber };
      return { ctx: { encounter: e, institutionLevel: level.get(e.institutionId) as InstitutionLevel }, cols: toColumns(plan, linesOf.get(e.id) ?? []) };
    });

    const single = createBatchAudit(plan);
    const one: Violation[] = [];
    for (const c of cases) one.push(...single.add(c.ctx, c.cols, 0, c.cols.length));
    one.push(...single.finish());

    const par = await createParallelBatchAudit(plan, { workers: 2, batchLines: 2_000 });
    for (const c of cases) par.add(c.ctx, c.cols, 0, c.cols.length);
    expect(par.encounters).toBe(single.encounters);
    expect(par.lines).toBe(single.lines);
    const two = await par.finish();

    // the reader's path (pushLine / endEncounter) with blocks smaller than one stay (blocks grow),
    // three workers, and orphan lines dropped
    const par3 = await createParallelBatchAudit(plan, { workers: 3, batchLines: 16 });
    for (const [k, c] of cases.entries()) {
      const lines = linesOf.get(c.ctx.encounter.id) ?? [];
      if (k % 50 === 0) {
        for (const l of lines.slice(0, 3)) par3.pushLine({ ...l, id: `orphan-${l.id}` });
        par3.endEncounter(undefined);
      }
      for (const l of lines) par3.pushLine(l);
      par3.endEncounter(c.ctx);
    }
    expect(par3.lines).toBe(single.lines);
    const three = await par3.finish();
    expect(sorted(three)).toEqual(sorted(one));
    expect(three.filter((v) => !CROSS.has(v.kind))).toEqual(one.filter((v) => !CROSS.has(v.kind)));

    // one worker, the calling thread auditing the other shard
    const parC = await createParallelBatchAudit(plan, { workers: 1, callerShard: true, batchLines: 500 });
    for (const c of cases) parC.add(c.ctx, c.cols, 0, c.cols.length);
    const withCaller = await parC.finish();
    expect(sorted(withCaller)).toEqual(sorted(one));
    expect(withCaller.filter((v) => !CROSS.has(v.kind))).toEqual(one.filter((v) => !CROSS.has(v.kind)));

    // the region exercises both the per-encounter and the cross-encounter rules
    expect(one.filter((v) => CROSS.has(v.kind)).length).toBeGreaterThan(10);
    expect(one.filter((v) => !CROSS.has(v.kind)).length).toBeGreaterThan(100);
    expect(two.length).toBe(one.length);
    // encounter-level violations: same order
    expect(two.filter((v) => !CROSS.has(v.kind))).toEqual(one.filter((v) => !CROSS.has(v.kind)));
    // everything: same set, ids, lines, amounts, evidence
    expect(sorted(two)).toEqual(sorted(one));
    expect(two.map(violationId).sort()).toEqual(one.map(violationId).sort());
    expect(two.reduce((s, v) => s + v.amountFen, 0)).toBe(one.reduce((s, v) => s + v.amountFen, 0));
  }, 60_000);
});
