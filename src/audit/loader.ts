/**
 * Loads the rule library and knowledge from data/ (the only I/O of the audit folder besides the
 * store reader): data/rules/medfund-rules.json, the NHSA catalogue and knowledge points shipped in
 * data/rules/nhsa/, MedFund's clinical tables in data/rules/knowledge/ and the shared tables in
 * data/knowledge/. Everything is validated with zod on load; errors name the file and field.
 * watchRuleLibrary() reloads on change (hot reload) and hands the new library to a callback.
 */
import { readFileSync, readdirSync, existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { MedfundError, issue } from '../domain/index.js';
import type { Issue } from '../domain/index.js';
import {
  ClinicalKnowledgeSchema,
  DiagnosisEvidenceSchema,
  ExamIndicationsSchema,
  NationalClassSchema,
  NhsaKnowledgeFileSchema,
  RuleLibrarySchema,
} from './types.js';
import type { NhsaKnowledgeFile, RuleLibrary } from './types.js';

/** The repository's data/ folder. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

function parseFile<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MedfundError([issue('bad-data-file', file, `cannot read JSON: ${(err as Error).message}`)], { cause: err });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues: Issue[] = r.error.issues.slice(0, 10).map((i) => issue('bad-data-file', `${file}#${i.path.join('.')}`, i.message));
    throw new MedfundError(issues);
  }
  return r.data;
}

/** Read and validate the whole library (rules + knowledge) from a data directory. */
export function loadRuleLibrary(dataDir: string = DEFAULT_DATA_DIR): RuleLibrary {
  const rulesDir = join(dataDir, 'rules');
  const rules = parseFile(RuleLibrarySchema, join(rulesDir, 'medfund-rules.json'));
  const seen = new Set<string>();
  for (const r of rules.rules) {
    if (seen.has(r.id)) throw new MedfundError([issue('duplicate-rule', `rules[${r.id}]`, `rule id ${r.id} appears twice`)]);
    seen.add(r.id);
    if (r.effectiveTo < r.effectiveFrom) throw new MedfundError([issue('bad-rule', `rules[${r.id}].effectiveTo`, `effectiveTo ${r.effectiveTo} is before effectiveFrom ${r.effectiveFrom}`)]);
  }
  const catalogue = JSON.parse(readFileSync(join(rulesDir, 'nhsa', 'rules.json'), 'utf8')) as { edition_2025: { classes: unknown[] } };
  const nationalClasses = catalogue.edition_2025.classes.map((c, i) => {
    const r = NationalClassSchema.safeParse(c);
    if (!r.success) throw new MedfundError([issue('bad-data-file', `nhsa/rules.json#edition_2025.classes.${i}`, r.error.issues[0]!.message)]);
    return r.data;
  });
  const nhsa: Record<string, NhsaKnowledgeFile> = {};
  const kdir = join(rulesDir, 'nhsa', 'knowledge');
  for (const f of readdirSync(kdir).filter((x) => x.endsWith('.json')).sort()) nhsa[f.slice(0, -5)] = parseFile(NhsaKnowledgeFileSchema, join(kdir, f));
  const clinical = parseFile(ClinicalKnowledgeSchema, join(rulesDir, 'knowledge', 'clinical.json'));
  const shared = join(dataDir, 'knowledge');
  const de = join(shared, 'diagnosis-evidence.json');
  const ex = join(shared, 'exam-indications.json');
  return {
    rules,
    nationalClasses,
    nhsa,
    clinical,
    ...(existsSync(de) ? { diagnosisEvidence: parseFile(DiagnosisEvidenceSchema, de) } : {}),
    ...(existsSync(ex) ? { examIndications: parseFile(ExamIndicationsSchema, ex) } : {}),
  };
}

/**
 * Hot reload: watch the rule and knowledge folders; after a change settles (debounce), reload and
 * call `onReload` with the new library, or `onError` when the new data do not validate (the caller
 * keeps running on the previous plan). Returns a function that stops watching.
 */
export function watchRuleLibrary(
  onReload: (library: RuleLibrary) => void,
  onError: (err: unknown) => void,
  dataDir: string = DEFAULT_DATA_DIR,
  debounceMs = 300,
): () => void {
  const dirs = [join(dataDir, 'rules'), join(dataDir, 'rules', 'knowledge'), join(dataDir, 'rules', 'nhsa', 'knowledge'), join(dataDir, 'knowledge')].filter((d) => existsSync(d));
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        onReload(loadRuleLibrary(dataDir));
      } catch (err) {
        onError(err);
      }
    }, debounceMs);
  };
  const watchers: FSWatcher[] = dirs.map((d) => watch(d, fire));
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
