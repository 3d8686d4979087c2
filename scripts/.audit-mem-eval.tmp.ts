// In-memory evaluation of the audit engine against a generated region (dev tool, not shipped).
import { generateRegion } from '../src/synth/index.js';
import { compileRules, createBatchAudit, loadRuleLibrary, scoreFindings, allocColumns, pushLine } from '../src/audit/index.js';
import type { Encounter, SettlementLine } from '../src/domain/index.js';
const opts = { hospitals: Number(process.argv[2] ?? 2), inpatients: Number(process.argv[3] ?? 2000), outpatients: Number(process.argv[4] ?? 10000), years: 1, seed: Number(process.argv[5] ?? 7) };
let t = performance.now();
const region = generateRegion(opts as never);
console.log('generated', region.encounters.length, 'enc', region.lines.length, 'lines', (performance.now() - t).toFixed(0), 'ms');
const titles = new Map(region.practitioners.map((p) => [p.id, p.title]));
const plan = compileRules(loadRuleLibrary(), { asOf: '2026-11-23', region: { catalog: region.catalog, codeMappings: region.codeMap, practitionerTitles: titles } });
const levels = new Map(region.institutions.map((i) => [i.id, i.level]));
const mapping = new Map(region.codeMap.map((m) => [`${m.institutionId}|${m.localCode}`, m.nationalCode]));
const byEnc = new Map<string, SettlementLine[]>();
for (const l of region.lines) {
  const line = { ...l, itemCode: l.itemCode || mapping.get(`${l.institutionId}|${l.localCode}`) || '' } as SettlementLine;
  const arr = byEnc.get(l.encounterId); if (arr) arr.push(line); else byEnc.set(l.encounterId, [line]);
}
t = performance.now();
const b = createBatchAudit(plan);
const vs = [];
const cols = allocColumns(100000);
for (const er of region.encounters) {
  const e = { ...er, personId: er.personIdNumber } as unknown as Encounter;
  const ls = (byEnc.get(e.id) ?? []).sort((a, b) => (a.chargedAt < b.chargedAt ? -1 : a.chargedAt > b.chargedAt ? 1 : a.id < b.id ? -1 : 1));
  cols.length = 0;
  for (const l of ls) pushLine(plan, cols, l);
  vs.push(...b.add({ encounter: e, institutionLevel: levels.get(e.institutionId)! }, cols, 0, cols.length));
}
vs.push(...b.finish());
console.log('audit', (performance.now() - t).toFixed(0), 'ms', vs.length, 'violations');
const scores = scoreFindings(vs, region.labels);
for (const s of scores) console.log(s.type.padEnd(22), s.precision.toFixed(3), s.recall.toFixed(3), 'TP', s.truePositives, 'FP', s.falsePositives, 'FN', s.falseNegatives, s.falsePositiveEncounters.slice(0, 4).join(','), '| missed', s.missedLabels.slice(0, 3).map((x) => x.join('+')).join(','));
const byRule = new Map<string, number>();
for (const v of vs) byRule.set(v.ruleId, (byRule.get(v.ruleId) ?? 0) + 1);
console.log([...byRule].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}:${n}`).join(' '));
if (process.env.DUMP) {
  const want = process.env.DUMP;
  for (const v of vs.filter((x) => x.type === want).slice(0, 5)) console.log(JSON.stringify(v).slice(0, 600));
}
(globalThis as any).__region = region;
export {};
const fp = vs.filter((v) => v.type === 'doctor-high-frequency' && !region.labels.some((l) => l.type === 'doctor-high-frequency' && l.encounterIds.includes(v.encounterId)));
const v0 = fp[0]!;
const l0 = region.lines.find((l) => l.id === v0.lineIds[0])!;
console.log('FP', v0.encounterId, l0);
const code = l0.itemCode || mapping.get(`${l0.institutionId}|${l0.localCode}`);
const near = region.lines.filter((l) => l.doctorId === l0.doctorId && (l.itemCode || mapping.get(`${l.institutionId}|${l.localCode}`)) === code && l.chargedAt.slice(0, 10) === l0.chargedAt.slice(0, 10));
console.log(near.map((l) => l.chargedAt.slice(11,16)).sort().join(" "));
const encP = new Map(region.encounters.map((e) => [e.id, e.personIdNumber]));
console.log(new Set(near.map((l) => encP.get(l.encounterId))).size);
const ph = region.labels.filter((l) => l.type === "phantom-stay")[Number(process.env.PH ?? 1)]!;
const pe = region.encounters.find((e) => e.id === ph.encounterIds[0])!;
console.log('PHANTOM', pe.id, pe.admitDate, pe.dischargeDate, pe.losDays, 'labelled lines', ph.lineIds.length);
const pl = region.lines.filter((l) => l.encounterId === pe.id);
const days = new Map<string, string[]>();
for (const l of pl) { const d = l.chargedAt.slice(0, 10); days.set(d, [...(days.get(d) ?? []), `${l.category[0]}${ph.lineIds.includes(l.id) ? '*' : ''}`]); }
for (const [d, c] of [...days].sort()) console.log(d, c.join(' '));
{
  const { auditEncounter } = await import('../src/audit/index.js');
  const ls = (byEnc.get(pe.id) ?? []);
  const vv = auditEncounter(plan, { encounter: { ...pe, personId: 'x' } as never, institutionLevel: levels.get(pe.institutionId)! }, ls);
  console.log('DEBUG', vv.map((v) => v.ruleId), ls.length, pe.kind);
}
console.log('BATCH', vs.filter((v) => v.encounterId === pe.id).map((v) => v.ruleId));
{
  const ls = (byEnc.get(pe.id) ?? []);
  console.log('SORTED?', ls.slice(0, 5).map((l) => l.chargedAt));
  const { auditEncounter } = await import('../src/audit/index.js');
  const sorted = [...ls].sort((a, b) => (a.chargedAt < b.chargedAt ? -1 : 1));
  console.log('SORTED RUN', auditEncounter(plan, { encounter: { ...pe, personId: 'x' } as never, institutionLevel: levels.get(pe.institutionId)! }, sorted).map((v) => v.ruleId));
}
