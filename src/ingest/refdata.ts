/**
 * Reference data the validators check against: the national code sets shipped in data/schemes,
 * the sex-specific diagnosis blocks, and what the store already holds (institutions, departments,
 * doctors, persons, catalog, code mappings, encounters). Loaded once per file, before its rows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sex } from '../domain/index.js';
import type { Row, Store } from '../store/index.js';
import { dataDir } from '../config/paths.js';

export interface CodeSets {
  diagnoses: ReadonlySet<string>;
  procedures: ReadonlySet<string>;
  /** sorted ranges of ICD-10 3-character categories that are sex-specific */
  sexBlocks: ReadonlyArray<{ from: string; to: string; sex: Sex; nameZh: string }>;
  /** the scheme folders the code sets were read from */
  sources: string[];
}

let cachedCodeSets: CodeSets | undefined;

/** Union of the insurance ICD-10 / ICD-9-CM-3 editions of every scheme under data/schemes. */
export function loadCodeSets(): CodeSets {
  if (cachedCodeSets) return cachedCodeSets;
  const diagnoses = new Set<string>();
  const procedures = new Set<string>();
  const sources: string[] = [];
  const schemesDir = join(dataDir(), 'schemes');
  if (existsSync(schemesDir)) {
    for (const name of readdirSync(schemesDir).sort()) {
      const d = join(schemesDir, name, 'diagnoses.json');
      const p = join(schemesDir, name, 'procedures.json');
      if (!existsSync(d) || !existsSync(p)) continue;
      for (const code of Object.keys(JSON.parse(readFileSync(d, 'utf8')) as Record<string, string>)) diagnoses.add(code);
      for (const code of Object.keys(JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>)) procedures.add(code);
      sources.push(name);
    }
  }
  if (sources.length === 0) throw new Error(`no code sets found under ${schemesDir} (expected <scheme>/diagnoses.json and procedures.json)`);
  const sexFile = JSON.parse(readFileSync(join(dataDir(), 'ingest', 'diagnosis-sex.json'), 'utf8')) as { entries: CodeSets['sexBlocks'] };
  cachedCodeSets = { diagnoses, procedures, sexBlocks: sexFile.entries, sources };
  return cachedCodeSets;
}

/** The sex a diagnosis code is restricted to, if any (by its 3-character category). */
export function diagnosisSex(code: string, blocks: CodeSets['sexBlocks']): { sex: Sex; nameZh: string } | undefined {
  const cat = code.slice(0, 3);
  for (const b of blocks) if (cat >= b.from && cat <= b.to) return b;
  return undefined;
}

export interface CatalogRef {
  itemId: number;
  category: string;
  payClass: string;
}

export interface EncounterRef {
  institutionId: string;
  admitDate: string;
  dischargeDate: string;
}

export class ReferenceData {
  institutions = new Map<string, string>(); // id → level
  departments = new Map<string, string>(); // id → institutionId
  practitioners = new Map<string, string>(); // id → institutionId
  persons = new Map<string, Sex>(); // pseudonym → sex
  catalog = new Map<string, CatalogRef>();
  nextItemId = 1;
  codeMap = new Map<string, string>(); // institutionId \0 localCode → national code
  encounters = new Map<string, EncounterRef>();

  /**
   * `only.encounterIds`: load just these encounters (rows judged one by one, as the native import's
   * few suspects are) instead of every encounter of the store — memory then does not grow with it.
   */
  static async load(store: Store, needs: ReadonlySet<'org' | 'persons' | 'catalog' | 'codeMap' | 'encounters'>, only?: { encounterIds?: ReadonlySet<string> }): Promise<ReferenceData> {
    const ref = new ReferenceData();
    if (needs.has('org')) {
      for (const r of await store.query(`SELECT id, level FROM institutions`)) ref.institutions.set(String(r.id), String(r.level));
      for (const r of await store.query(`SELECT id, institution_id FROM departments`)) ref.departments.set(String(r.id), String(r.institution_id));
      for (const r of await store.query(`SELECT id, institution_id FROM practitioners`)) ref.practitioners.set(String(r.id), String(r.institution_id));
    }
    if (needs.has('persons')) for (const r of await store.query(`SELECT id, sex FROM persons`)) ref.persons.set(String(r.id), String(r.sex) as Sex);
    if (needs.has('catalog')) {
      for (const r of await store.query(`SELECT code, item_id, category, pay_class FROM catalog_items`)) {
        const itemId = Number(r.item_id);
        ref.catalog.set(String(r.code), { itemId, category: String(r.category), payClass: String(r.pay_class) });
        if (itemId >= ref.nextItemId) ref.nextItemId = itemId + 1;
      }
    }
    if (needs.has('codeMap')) {
      for (const r of await store.query(`SELECT institution_id, local_code, national_code FROM code_mappings`)) {
        ref.codeMap.set(`${String(r.institution_id)}\u0000${String(r.local_code)}`, String(r.national_code));
      }
    }
    if (needs.has('encounters')) {
      const add = (rows: Row[]): void => {
        for (const r of rows) ref.encounters.set(String(r.id), { institutionId: String(r.institution_id), admitDate: String(r.admit_date), dischargeDate: String(r.discharge_date) });
      };
      const sql = `SELECT id, institution_id, admit_date, discharge_date FROM encounters`;
      if (!only?.encounterIds) add(await store.query(sql));
      else {
        const ids = [...only.encounterIds];
        for (let i = 0; i < ids.length; i += 1000) {
          const part = ids.slice(i, i + 1000);
          add(await store.query(`${sql} WHERE id IN (${part.map((_, k) => `$${k + 1}`).join(', ')})`, part));
        }
      }
    }
    return ref;
  }
}
