/**
 * `medfund settle --policy P --in cases.jsonl --out results.jsonl`: simulated settlement (模拟结算) of
 * cases given as JSONL, one result per case, in file order, with year-to-date accumulators carried per
 * person. Formats: docs/settlement.md.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CatalogItemSchema, MedfundError, formatYuan, issue } from '../../domain/index.js';
import type { Issue } from '../../domain/index.js';
import { explainSettlement, forYear, settle } from '../../settlement/index.js';
import type { CatalogEntry, CatalogLookup, YearToDate } from '../../settlement/index.js';
import { parseCase } from '../../settlement/case.js';
import { resolvePolicy } from '../../settlement/load.js';
import { compareStoredStay } from '../demo-steps/settlement.js';
import { printJson, withStore, withStoreOptions } from '../util.js';

export function register(program: Command): void {
  withStoreOptions(program
    .command('settle')
    .description('模拟结算: settle encounters (JSONL) under a policy set · simulated patient settlement')
    .option('--policy <ref>', 'policy file (.json), policy id, or region code under data/policies (required with --in)')
    .option('--in <file>', 'cases, one JSON object per line (docs/settlement.md § Case file)')
    .option('--compare <encounterId>', 'compare payment methods (按项目/DRG/单病种) for one stored stay before discharge')
    .option('--out <file>', 'results JSONL (default: stdout)')
    .option('--catalog <file>', 'catalog items (JSON array or JSONL of CatalogItem) for lines without inline catalog facts')
    .option('--explain', 'add a patient-readable explanation to every result')
    .option('--json', 'print the summary as JSON'))
    .action(async (opts: { policy?: string; in?: string; compare?: string; out?: string; catalog?: string; explain?: boolean; json?: boolean; db?: string; databaseUrl?: string }) => {
      if (opts.compare) {
        const id = opts.compare;
        await withStore(opts, async (store) => {
          const r = await compareStoredStay(store, id);
          if (opts.json) return printJson(r);
          process.stdout.write(`支付方式比较 payment methods for ${r.encounterId} (政策 ${r.policyId}) — 推荐 best: ${r.comparison.best}\n`);
          process.stdout.write('方式 method | 医院收入 hospital receives | 医院结余 margin | 基金 fund | 个人 patient | 说明 note\n');
          for (const p of r.comparison.positions) {
            process.stdout.write(`${p.method} | ${formatYuan(p.hospitalReceivesFen)} | ${formatYuan(p.hospitalMarginFen)} | ${formatYuan(p.fundFen)} | ${formatYuan(p.patientFen)} | ${p.note}\n`);
          }
          if (r.drgAdvice) process.stdout.write(`DRG: ${r.drgAdvice}\n`);
        });
        return;
      }
      if (!opts.policy || !opts.in) {
        throw new MedfundError([issue('missing-option', opts.policy ? 'in' : 'policy', 'settle needs --policy and --in (or --compare <encounterId>)')]);
      }
      const policy = resolvePolicy(opts.policy);
      const catalog = opts.catalog ? loadCatalog(opts.catalog) : new Map<string, CatalogEntry>();
      const out: NodeJS.WritableStream = opts.out ? createWriteStream(opts.out) : process.stdout;
      const ytdByPerson = new Map<string, YearToDate>();
      const rl = createInterface({ input: createReadStream(opts.in, 'utf8'), crlfDelay: Infinity });
      const rejected: Issue[] = [];
      let lineNo = 0, settled = 0, total = 0, fund = 0, patient = 0;
      for await (const text of rl) {
        lineNo++;
        if (!text.trim()) continue;
        const parsed = parseCase(text, lineNo);
        if (!parsed.ok) {
          rejected.push(...parsed.issues);
          continue;
        }
        const c = parsed.value;
        const inline = new Map<string, CatalogEntry>();
        for (const l of c.lines) {
          if (l.selfPayFirstPermille !== undefined || l.priceCapFen !== undefined || l.restrictions !== undefined) {
            inline.set(l.itemCode, { payClass: l.payClass, priceCapFen: l.priceCapFen ?? 0, selfPayFirstPermille: l.selfPayFirstPermille ?? 0, restrictions: l.restrictions ?? {} });
          }
        }
        const lookup: CatalogLookup = (code) => inline.get(code) ?? catalog.get(code);
        const key = c.encounter.personId ?? `case:${c.encounter.id}`;
        const year = Number(c.encounter.dischargeDate.slice(0, 4));
        const ytd = ytdByPerson.get(key) ?? forYear(undefined, year, c.accountBalanceFen ?? 0);
        const r = settle(c, policy, ytd, lookup);
        ytdByPerson.set(key, r.ytd);
        settled++;
        total += r.totalFen;
        fund += r.fundTotalFen;
        patient += r.patientFen;
        const row = opts.explain ? { ...r, explanation: explainSettlement(r) } : r;
        if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
      }
      if (out !== process.stdout) await new Promise<void>((res) => { out.end(() => res()); });
      const summary = { policy: policy.id, settled, rejected: rejected.length, totalFen: total, fundFen: fund, patientFen: patient };
      if (opts.json) process.stderr.write(JSON.stringify({ ...summary, issues: rejected }) + '\n');
      else {
        for (const i of rejected) process.stderr.write(`medfund: ${i.code} at ${i.path}: ${i.message}\n`);
        process.stderr.write(
          `结算 settled ${settled} 例 (拒收 rejected ${rejected.length}) · 总额 total ${formatYuan(total)} 元 · 基金 funds ${formatYuan(fund)} 元 · 个人 patients ${formatYuan(patient)} 元 · 政策 ${policy.id}\n`,
        );
      }
      if (rejected.length) process.exitCode = 2;
    });
}

function loadCatalog(path: string): Map<string, CatalogEntry> {
  const text = readFileSync(path, 'utf8').trim();
  const rows: unknown[] = text.startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  const m = new Map<string, CatalogEntry>();
  rows.forEach((row, i) => {
    const r = CatalogItemSchema.safeParse(row);
    if (!r.success) throw new MedfundError(r.error.issues.map((x) => issue('invalid-catalog-item', `${path}[${i}].${x.path.join('.')}`, x.message)));
    m.set(r.data.code, r.data);
  });
  return m;
}
