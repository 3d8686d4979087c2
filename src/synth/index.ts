/**
 * Synthetic region generator — public surface.
 *
 * @example
 * import { generateRegion } from '../synth/index.js';
 * const region = generateRegion({ hospitals: 2, inpatients: 200, outpatients: 1000, years: 1, seed: 7 });
 * region.encounters.length; region.labels.filter((l) => l.type === 'upcoding');
 *
 * CLI: `medfund synth --out DIR --hospitals 3 --inpatients 5000 --outpatients 50000 --years 3 --seed 1`
 * (docs/synth.md).
 */
import type { CatalogItem, CodeMapping, Department, DepartmentCost, Institution, Label, Practitioner } from '../domain/index.js';
import { generateRegionInto, type BadRow, type EncounterRow, type GenerationSummary, type LineRow, type PersonRow, type SynthOptions } from './generate.js';
import { loadSynthSeed, type SynthSeed } from './seed.js';

export { generateRegionInto, GENERATOR_VERSION } from './generate.js';
export type { BadRow, EncounterRow, GenerationSummary, LineRow, PersonRow, RegionSink, SynthOptions } from './generate.js';
export { writeRegion, BAD_ROWS_FILE, MANIFEST_FILE } from './writer.js';
export type { WriteRegionResult } from './writer.js';
export { loadSynthSeed } from './seed.js';
export type { SynthSeed, SeedItem, EvidenceEntry, ExamIndication } from './seed.js';
export { isValidIdNumber, makeIdNumber, idCheckChar } from './idnumber.js';
export { Prng } from './prng.js';

/** A whole region in memory (for tests of other engines: keep it small). */
export interface GeneratedRegion {
  institutions: Institution[];
  departments: Department[];
  practitioners: Practitioner[];
  persons: PersonRow[];
  catalog: CatalogItem[];
  codeMap: CodeMapping[];
  encounters: EncounterRow[];
  lines: LineRow[];
  departmentCosts: DepartmentCost[];
  labels: Label[];
  badRows: BadRow[];
  summary: GenerationSummary;
}

/** Generate a region in memory. Deterministic for `options.seed`. */
export function generateRegion(options: SynthOptions, seed: SynthSeed = loadSynthSeed()): GeneratedRegion {
  const r: Omit<GeneratedRegion, 'summary'> = {
    institutions: [], departments: [], practitioners: [], persons: [], catalog: [], codeMap: [], encounters: [], lines: [], departmentCosts: [], labels: [], badRows: [],
  };
  const summary = generateRegionInto(seed, options, {
    institution: (x) => r.institutions.push(x),
    department: (x) => r.departments.push(x),
    practitioner: (x) => r.practitioners.push(x),
    catalogItem: (x) => r.catalog.push(x),
    codeMapping: (x) => r.codeMap.push(x),
    encounter: (x) => r.encounters.push(x),
    line: (x) => r.lines.push(x),
    departmentCost: (x) => r.departmentCosts.push(x),
    person: (x) => r.persons.push(x),
    label: (x) => r.labels.push(x),
    badRow: (x) => r.badRows.push(x),
  });
  return { ...r, summary };
}
