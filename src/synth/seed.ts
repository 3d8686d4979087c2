/**
 * The generator's seed data (data/synth/, written by scripts/gen-synth-seed.ts) and the two shared
 * knowledge tables (data/knowledge/). Types here; `loadSynthSeed` is the only I/O of the synth engine
 * (the generator itself takes a loaded seed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChargeCategory, PayClass, Sex } from '../domain/index.js';

export interface SeedItem {
  code: string;
  name: string;
  category: ChargeCategory;
  payClass: PayClass;
  unit: string;
  priceCapFen: number;
  selfPayFirstPermille: number;
  restrictions: { sex?: Sex; minAgeYears?: number; maxAgeYears?: number; maxQuantityPerDay?: number };
  origin: 'nhsa' | 'medfund-supplementary';
  nhsaRuleFiles?: string[];
}

export interface DuplicatePair {
  a: string;
  b: string;
  window: string;
  source: string;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface InpatientTemplate {
  id: string;
  adrg: string;
  mdc: string;
  name: string;
  dept: string[];
  minLevel: 1 | 2 | 3;
  los: number;
  cost: number;
  weight: number;
  sex?: Sex;
  age: [number, number];
  grade?: 1 | 2 | 3 | 4;
  anaesthesia?: 'general' | 'spinal' | 'local';
  surgeryItem?: string;
  implants?: [string, number][];
  drugs: string[];
  services?: string[];
  benefit?: 'maternity';
  principals: CodeName[];
  procedures: CodeName[];
  requiredSecondary: CodeName | null;
  adrg11: Record<string, string>;
}

export interface VisitTemplate {
  id: string;
  dx: string;
  dept: string[];
  drugs: string[];
  services: string[];
  sex?: Sex;
  age: [number, number];
  weight: number;
  benefit?: 'chronic-special' | 'maternity';
  online?: boolean;
  kind?: 'child';
  principal: CodeName;
}

export interface EvidenceEntry {
  diagnosisPrefix: string;
  nameZh: string;
  evidenceItemCodes: string[];
  evidenceNameKeywords: string[];
}

export interface ExamIndication {
  itemCode: string;
  nameZh: string;
  indicationPrefixes: string[];
}

export interface SynthSeed {
  version: string;
  catalog: { version: string; effectiveFrom: string; effectiveTo: string; items: SeedItem[]; duplicatePairs: DuplicatePair[] };
  templates: {
    inpatient: InpatientTemplate[];
    visits: VisitTemplate[];
    comorbidities: (CodeName & { sex?: Sex })[];
    ccSecondaries: (CodeName & { level: 'cc' | 'mcc'; evidencePrefix: string | null })[];
    badRowCodes: { unknownDiagnosis: string; femaleOnlyDiagnosis: string };
  };
  evidence: { version: string; entries: EvidenceEntry[] };
  exams: { version: string; entries: ExamIndication[] };
}

/** Project root (src/synth/../..). */
const ROOT = join(import.meta.dirname, '..', '..');

let cached: SynthSeed | undefined;

/** Load data/synth and data/knowledge (cached per process). `root` overrides the project root. */
export function loadSynthSeed(root: string = ROOT): SynthSeed {
  if (cached && root === ROOT) return cached;
  const read = <T>(p: string): T => JSON.parse(readFileSync(join(root, p), 'utf8')) as T;
  const catalog = read<SynthSeed['catalog']>('data/synth/catalog.json');
  const seed: SynthSeed = {
    version: catalog.version,
    catalog,
    templates: read<SynthSeed['templates']>('data/synth/templates.json'),
    evidence: read<SynthSeed['evidence']>('data/knowledge/diagnosis-evidence.json'),
    exams: read<SynthSeed['exams']>('data/knowledge/exam-indications.json'),
  };
  if (root === ROOT) cached = seed;
  return seed;
}
