/**
 * `medfund audit` — batch audit (事后) of the imported region; `--evaluate` scores the violations
 * against the generator's ground truth (labels.jsonl) per irregularity type.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { LABELS_FILE, MedfundError, issue } from '../../domain/index.js';
import { loadRuleLibrary, scoreFindings } from '../../audit/index.js';
import type { Violation } from '../../audit/index.js';
import { auditStore, compileForStore, findRegionLabels, readLabels, saveViolations } from '../../audit/store-audit.js';
import { printJson, progressBar, withStore, withStoreOptions, yuan } from '../util.js';

interface AuditOpts {
  json?: boolean;
  evaluate?: boolean;
  labels?: string;
  region?: string;
  asOf?: string;
  save?: boolean;
  workers?: string;
  db?: string;
  databaseUrl?: string;
}

const today = (): string => new Date().toISOString().slice(0, 10);

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('audit')
      .description('智能审核（事后） Batch audit of the imported region with the full rule library; --evaluate scores it against labels')
      .option('--evaluate', '按注入违规类型计算精确率/召回率 precision/recall per irregularity type')
      .option('--labels <file>', 'labels.jsonl to score against (default: the imported region\'s own)')
      .option('--region <dir>', 'region directory whose labels.jsonl to score against (default: $MEDFUND_REGION_DIR)')
      .option('--as-of <date>', 'rule versions in force on this date (default: today)')
      .option('--no-save', 'do not store the violations')
      .option('--workers <n>', '工作线程数 worker threads for the batch, split by person (default 0 = single thread, or $MEDFUND_AUDIT_WORKERS); same violations either way')
      .option('--json', 'JSON output'),
  ).action(async (opts: AuditOpts) => {
    const asOf = opts.asOf ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new MedfundError([issue('bad-option', '--as-of', `"${asOf}" is not YYYY-MM-DD`)]);
    await withStore(opts, async (store) => {
      const startedAt = new Date().toISOString();
      const library = loadRuleLibrary();
      const plan = await compileForStore(store, library, asOf);
      const total = Number((await store.query('SELECT COUNT(*) AS n FROM settlement_lines'))[0]?.n ?? 0);
      const bar = opts.json ? { update: () => undefined, stop: () => undefined } : progressBar('审核 audit', total, ' lines');
      const t0 = performance.now();
      const workers = workerCount(opts.workers ?? process.env.MEDFUND_AUDIT_WORKERS);
      const result = await auditStore(store, plan, (n) => bar.update(n), { workers });
      const ms = performance.now() - t0;
      bar.stop();
      if (opts.save !== false) {
        await saveViolations(store, { runId: `audit-${startedAt}`, mode: 'post', libraryVersion: plan.libraryVersion, asOf, startedAt, finishedAt: new Date().toISOString(), encounters: result.encounters, lines: result.lines }, result.violations);
      }
      if (result.orphanLines > 0) process.stderr.write(`medfund: warning: ${result.orphanLines} settlement lines belong to encounters not in the store; they were not audited\n`);
      if (opts.evaluate) {
        const regionDir = opts.region ?? process.env.MEDFUND_REGION_DIR;
        const labelsFile = opts.labels ?? (regionDir ? join(regionDir, LABELS_FILE) : await findRegionLabels(store));
        if (!labelsFile) throw new MedfundError([issue('no-labels', '--labels', 'the store does not record where the region was imported from; pass --labels FILE or --region DIR (the generator writes labels.jsonl beside encounters.csv)')]);
        const labels = readLabels(labelsFile);
        const types = scoreFindings(result.violations, labels);
        if (opts.json) return printJson({ labelsFile, libraryVersion: plan.libraryVersion, asOf, encounters: result.encounters, lines: result.lines, types });
        process.stdout.write(`评估 evaluation against ${labelsFile} (${labels.length} labels, ${result.encounters} encounters, ${result.lines} lines)\n`);
        process.stdout.write(`${'type'.padEnd(24)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'TP'.padStart(6)}${'FP'.padStart(6)}${'FN'.padStart(6)}\n`);
        for (const t of types) process.stdout.write(`${t.type.padEnd(24)}${t.precision.toFixed(3).padStart(10)}${t.recall.toFixed(3).padStart(8)}${String(t.truePositives).padStart(6)}${String(t.falsePositives).padStart(6)}${String(t.falseNegatives).padStart(6)}\n`);
        for (const t of types) {
          if (t.falsePositives > 0) process.stdout.write(`  误报 false positives ${t.type}: ${t.falsePositiveEncounters.slice(0, 20).join(', ')}${t.falsePositives > 20 ? ' …' : ''}\n`);
          if (t.falseNegatives > 0) process.stdout.write(`  漏报 missed ${t.type}: ${t.missedLabels.slice(0, 10).map((l) => l.join('+')).join(', ')}${t.falseNegatives > 10 ? ' …' : ''}\n`);
        }
        return;
      }
      if (opts.json) return printJson({ libraryVersion: plan.libraryVersion, asOf, encounters: result.encounters, lines: result.lines, violations: result.violations });
      printSummary(result.violations, result.encounters, result.lines, ms);
    });
  });
}

/**
 * Worker threads: the option, else the environment, else 0. Not automatic: the gain is measured on the
 * engine alone (docs/rules.md, Performance: ≈ 1.3× on 2 busy cores), not yet with a store being read.
 */
function workerCount(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > 64) throw new MedfundError([issue('bad-option', '--workers', `"${raw}" is not a whole number from 0 to 64`)]);
  return Number(raw);
}

function printSummary(vs: Violation[], encounters: number, lines: number, ms: number): void {
  const byRule = new Map<string, { n: number; fen: number; msg: string }>();
  for (const v of vs) {
    const s = byRule.get(v.ruleId) ?? { n: 0, fen: 0, msg: v.message };
    s.n++;
    s.fen += v.amountFen;
    byRule.set(v.ruleId, s);
  }
  const total = vs.reduce((s, v) => s + v.amountFen, 0);
  process.stdout.write(`审核完成 audited ${encounters.toLocaleString('en-US')} encounters, ${lines.toLocaleString('en-US')} lines in ${(ms / 1000).toFixed(1)} s\n`);
  process.stdout.write(`违规 violations: ${vs.length.toLocaleString('en-US')}, 违规金额 amount at stake ${yuan(total)}\n`);
  for (const [id, s] of [...byRule].sort((a, b) => b[1].fen - a[1].fen))
    process.stdout.write(`  ${id.padEnd(34)} ${String(s.n).padStart(7)}  ${yuan(s.fen).padStart(16)}  e.g. ${s.msg.slice(0, 60)}\n`);
}
