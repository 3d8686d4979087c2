/**
 * Batch audit over the store (事后): reads the region through the Store interface (works on DuckDB
 * and PostgreSQL), feeds the engine column slices per encounter, and stores violations. This file
 * and loader.ts are the audit folder's only I/O; the engine files stay pure.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LabelSchema, MedfundError, issue, LABELS_FILE } from '../domain/index.js';
import type { Encounter, InstitutionLevel, Label, SettlementLine } from '../domain/index.js';
import type { Store } from '../store/store.js';
import { compileRules } from './compile.js';
import type { AuditPlan } from './compile.js';
import { allocColumns, pushLine } from './columns.js';
import type { LineColumns } from './columns.js';
import { createBatchAudit } from './batch.js';
import { createParallelBatchAudit } from './parallel-batch.js';
import type { ParallelBatchAudit } from './parallel-batch.js';
import type { AuditEncounter, RegionKnowledge, RuleLibrary, Violation } from './types.js';

/** Catalog, code mappings, practitioner titles and department codes of the imported region. */
export async function loadRegionKnowledge(store: Store): Promise<RegionKnowledge> {
  const [catalog, codeMappings, practitioners, departments] = await Promise.all([store.listCatalog(), store.listCodeMappings(), store.listPractitioners(), store.listDepartments()]);
  return {
    catalog,
    codeMappings,
    practitionerTitles: new Map(practitioners.map((p) => [p.id, p.title])),
    departmentCodes: new Map(departments.map((d) => [d.id, d.deptCode])),
  };
}

export async function compileForStore(store: Store, library: RuleLibrary, asOf: string): Promise<AuditPlan> {
  return compileRules(library, { asOf, region: await loadRegionKnowledge(store) });
}

export interface StoreAuditResult {
  violations: Violation[];
  encounters: number;
  lines: number;
  /** encounters with lines whose encounter record is missing (reported, not dropped silently) */
  orphanLines: number;
}

export interface StoreAuditOptions {
  /**
   * Worker threads (0 = audit on the calling thread). With N ≥ 1 encounters are split by person
   * across N workers (parallel-batch.ts); the violations are identical either way.
   */
  workers?: number;
}

/** Run every post-mode rule over the whole store. `onProgress(linesDone)` is called per batch. */
export async function auditStore(store: Store, plan: AuditPlan, onProgress?: (lines: number) => void, opts: StoreAuditOptions = {}): Promise<StoreAuditResult> {
  const levels = new Map<string, InstitutionLevel>((await store.listInstitutions()).map((i) => [i.id, i.level]));
  const encounters = new Map<string, Encounter>();
  for await (const batch of store.streamEncounters(undefined, 10_000)) for (const e of batch) encounters.set(e.id, e);
  const workers = opts.workers ?? 0;
  const par = workers > 0 ? await createParallelBatchAudit(plan, { workers }) : undefined;
  try {
    return par ? await runParallel(par) : await runSingle();
  } catch (err) {
    await par?.close();
    throw err;
  }

  /**
   * The stored lines encounter by encounter (store order), then the encounters without any line (they
   * still take part in encounter-level and cross-encounter rules). `end` gets undefined for lines
   * whose encounter record is missing (counted as orphans, never audited silently).
   */
  async function walk(line: (l: SettlementLine) => void, end: (ctx: AuditEncounter | undefined) => void): Promise<number> {
    let current = '';
    let open = 0;
    let orphanLines = 0;
    let done = 0;
    const audited = new Set<string>();
    const endEncounter = (): void => {
      if (current === '' || open === 0) return;
      const e = encounters.get(current);
      if (!e) {
        orphanLines += open;
        end(undefined);
      } else {
        const level = levels.get(e.institutionId);
        if (!level) throw new MedfundError([issue('unknown-institution', `encounters[${e.id}].institutionId`, `institution ${e.institutionId} is not in the store`)]);
        end({ encounter: e, institutionLevel: level });
        audited.add(current);
      }
      open = 0;
    };
    for await (const lines of store.streamLines(undefined, 20_000)) {
      for (const l of lines) {
        if (l.encounterId !== current) {
          endEncounter();
          current = l.encounterId;
        }
        line(l);
        open++;
      }
      done += lines.length;
      onProgress?.(done);
    }
    endEncounter();
    for (const e of encounters.values()) {
      if (audited.has(e.id)) continue;
      const level = levels.get(e.institutionId);
      if (level) end({ encounter: e, institutionLevel: level });
    }
    return orphanLines;
  }

  /** Worker threads: lines go straight into the driver's shared blocks (no intermediate columns). */
  async function runParallel(par: ParallelBatchAudit): Promise<StoreAuditResult> {
    const orphanLines = await walk(
      (l) => par.pushLine(l),
      (ctx) => par.endEncounter(ctx),
    );
    // every violation comes from finish(), encounter-level ones in add order
    const violations = await par.finish();
    return { violations, encounters: par.encounters, lines: par.lines, orphanLines };
  }

  /** The calling thread: one encounter's lines at a time as columns. */
  async function runSingle(): Promise<StoreAuditResult> {
    const batch = createBatchAudit(plan);
    const violations: Violation[] = [];
    let cols: LineColumns = allocColumns(4096);
    const orphanLines = await walk(
      (l) => {
        if (cols.length === cols.id.length) {
          const bigger = allocColumns(cols.id.length * 2);
          for (let i = 0; i < cols.length; i++) copyLine(cols, i, bigger);
          cols = bigger;
        }
        pushLine(plan, cols, l);
      },
      (ctx) => {
        if (ctx) violations.push(...batch.add(ctx, cols, 0, cols.length));
        cols.length = 0;
      },
    );
    violations.push(...batch.finish());
    return { violations, encounters: batch.encounters, lines: batch.lines, orphanLines };
  }
}

function copyLine(from: LineColumns, i: number, to: LineColumns): void {
  const j = to.length++;
  to.id[j] = from.id[i]!;
  to.encounterId[j] = from.encounterId[i]!;
  to.institutionId[j] = from.institutionId[i]!;
  to.itemCode[j] = from.itemCode[i]!;
  to.localCode[j] = from.localCode[i]!;
  to.mappedCode[j] = from.mappedCode[i]!;
  to.itemName[j] = from.itemName[i]!;
  to.item[j] = from.item[i]!;
  to.category[j] = from.category[i]!;
  to.quantity[j] = from.quantity[i]!;
  to.unitPriceFen[j] = from.unitPriceFen[i]!;
  to.amountFen[j] = from.amountFen[i]!;
  to.doctorId[j] = from.doctorId[i]!;
  to.departmentId[j] = from.departmentId[i]!;
  to.chargedAt[j] = from.chargedAt[i]!;
  to.tMin[j] = from.tMin[i]!;
}

/** Deterministic violation id: the same rule version on the same encounter keeps its id across runs. */
export function violationId(v: Violation): string {
  return 'V' + createHash('sha1').update(`${v.ruleId}\u0001${v.ruleVersion}\u0001${v.encounterId}`).digest('hex').slice(0, 20);
}

const VIOLATION_COLUMNS = [
  'id', 'run_id', 'rule_id', 'rule_version', 'kind', 'type', 'result_type', 'action', 'national_classes', 'encounter_id',
  'institution_id', 'department_id', 'doctor_id', 'line_ids', 'amount_fen', 'message', 'evidence', 'detected_at',
] as const;

/** Replace the stored violations by this run's and record the run. */
export async function saveViolations(
  store: Store,
  run: { runId: string; mode: string; libraryVersion: string; asOf: string; startedAt: string; finishedAt: string; encounters: number; lines: number },
  violations: readonly Violation[],
): Promise<void> {
  const rows = violations.map((v) => [
    violationId(v), run.runId, v.ruleId, v.ruleVersion, v.kind, v.type ?? '', v.resultType, v.action, v.nationalClasses.join('|'), v.encounterId,
    v.institutionId, v.departmentId, v.doctorId, v.lineIds.join('|'), v.amountFen, v.message, JSON.stringify(v.evidence), run.finishedAt,
  ]);
  const total = violations.reduce((s, v) => s + v.amountFen, 0);
  await store.withTransaction(async (tx) => {
    await tx.exec('DELETE FROM violations');
    for (let i = 0; i < rows.length; i += 50_000) await tx.appendRows('violations', VIOLATION_COLUMNS, rows.slice(i, i + 50_000));
    await tx.exec(
      'INSERT INTO audit_runs (run_id, mode, library_version, as_of, started_at, finished_at, encounters, lines, violations, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [run.runId, run.mode, run.libraryVersion, run.asOf, run.startedAt, run.finishedAt, run.encounters, run.lines, violations.length, total],
    );
  });
}

/** Parse a labels.jsonl file; every bad line is an error naming the line. */
export function readLabels(file: string): Label[] {
  const out: Label[] = [];
  const text = readFileSync(file, 'utf8');
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new MedfundError([issue('bad-label', `${file}:${i + 1}`, 'not valid JSON')]);
    }
    const r = LabelSchema.safeParse(raw);
    if (!r.success) throw new MedfundError([issue('bad-label', `${file}:${i + 1}#${r.error.issues[0]!.path.join('.')}`, r.error.issues[0]!.message)]);
    out.push(r.data);
  });
  return out;
}

/** The imported region's own labels.jsonl: beside the encounters file recorded in import_batches. */
export async function findRegionLabels(store: Store): Promise<string | undefined> {
  // The region directories `medfund import DIR` recorded, newest first.
  for (const r of await store.query(`SELECT dir FROM import_sources ORDER BY imported_at DESC`)) {
    const f = join(String(r.dir), LABELS_FILE);
    if (existsSync(f)) return f;
  }
  const rows = await store.query<{ source_file: string }>(`SELECT source_file FROM import_batches WHERE kind = 'encounters' ORDER BY finished_at DESC`);
  for (const r of rows) {
    const src = String(r.source_file);
    if (!src.includes('/')) continue; // only a file name on record: the directory is unknown
    const f = join(dirname(src), LABELS_FILE);
    if (existsSync(f)) return f;
  }
  return undefined;
}
