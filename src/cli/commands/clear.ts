/**
 * `medfund clear --period 2025`: hospital clearing (医院清算) of a year from stored settlement results —
 * global budget with monthly pre-payment and year-end settlement (结余留用/超支分担), the department
 * allocation of each budget (科室二次分配) and monitoring alerts. Settles the store first when the run
 * has no results yet. Formats: docs/settlement.md § Clearing.
 */
import type { Command } from 'commander';
import { formatYuan } from '../../domain/index.js';
import { clearDipStore, clearDrgStore, clearStore, settleStore } from '../demo-steps/settlement.js';
import type { DipClearSummary, DrgClearSummary } from '../demo-steps/settlement.js';
import { printJson, withStore, withStoreOptions } from '../util.js';

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('clear')
      .description('医院清算: global-budget clearing of a year, department allocation and alerts · hospital clearing')
      .requiredOption('--period <year>', 'settlement year, e.g. 2025')
      .option('--run <id>', 'settlement run id (settlement_results.run_id)', 'default')
      .option('--resettle', 'settle every stored encounter again before clearing')
      .option('--no-drg', 'skip DRG clearing through the DRG engine')
      .option('--no-dip', 'skip DIP point-value clearing')
      .option('--json', 'machine-readable output'),
  ).action(async (opts: { period: string; run: string; resettle?: boolean; drg: boolean; dip: boolean; json?: boolean; db?: string; databaseUrl?: string }) => {
    await withStore(opts, async (store) => {
      const have = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM settlement_results WHERE run_id = $1', [opts.run]);
      if (opts.resettle || Number(have[0]?.n ?? 0) === 0) {
        const s = await settleStore(store, { runId: opts.run, log: opts.json ? undefined : (l) => process.stderr.write(`\r${l}`) });
        if (!opts.json) process.stderr.write(`\n结算 settled ${s.encounters} encounters (run ${opts.run})\n`);
      }
      const c = await clearStore(store, opts.period, { runId: opts.run });
      const d: DrgClearSummary | undefined = opts.drg ? await clearDrgStore(store, opts.period, { runId: opts.run }) : undefined;
      let dip: DipClearSummary | undefined;
      let dipError = '';
      if (opts.dip) {
        try {
          dip = await clearDipStore(store, opts.period, { runId: opts.run });
        } catch (err) {
          dipError = err instanceof Error ? err.message : String(err); // e.g. no history year: reported, not fatal
        }
      }
      const rows = await store.query<Record<string, string | number>>(
        `SELECT institution_id, method, budget_fen, claims_fen, due_fen, prepaid_fen, year_end_payment_fen, retained_surplus_fen, fund_shared_overspend_fen, hospital_borne_overspend_fen FROM clearing_results WHERE run_id = $1 AND period = $2 AND method = 'global-budget' ORDER BY institution_id`,
        [opts.run, opts.period],
      );
      if (opts.json) {
        printJson({ ...c, institutions: rows, drg: d, dip, dipError: dipError || undefined });
        return;
      }
      if (!rows.length) {
        process.stdout.write(`${opts.period} 年没有结算结果 no settlement results for ${opts.period} (run ${opts.run})\n`);
        return;
      }
      process.stdout.write(`医院清算 clearing ${opts.period} (总额预算 global budget, run ${opts.run})\n`);
      process.stdout.write('机构 institution | 预算 budget | 申报 claims | 应付 due | 已预付 prepaid | 年终结算 year-end | 结余留用 kept | 超支分担 fund share | 医院承担 hospital\n');
      for (const r of rows) {
        const f = (k: string) => formatYuan(Number(r[k]));
        process.stdout.write(`${r.institution_id} | ${f('budget_fen')} | ${f('claims_fen')} | ${f('due_fen')} | ${f('prepaid_fen')} | ${f('year_end_payment_fen')} | ${f('retained_surplus_fen')} | ${f('fund_shared_overspend_fen')} | ${f('hospital_borne_overspend_fen')}\n`);
      }
      if (d) {
        process.stdout.write(`DRG 清算 ${d.scheme} (参数 ${d.paramsId}, 费率 rate ${formatYuan(d.ratePerWeightFen)} 元/RW): ${d.cases} 例, 入组 grouped ${d.grouped}\n`);
        process.stdout.write('机构 institution | 例数 cases | DRG 支付 payment | 费用 charges | 基金 fund | 最终支付 final | 结余留用 kept | 超支分担 fund share | 医院承担 hospital\n');
        for (const i of d.institutions) {
          process.stdout.write(`${i.institutionId} | ${i.cases} | ${formatYuan(i.paymentFen)} | ${formatYuan(i.chargesFen)} | ${formatYuan(i.fundFen)} | ${formatYuan(i.finalPaymentFen)} | ${formatYuan(i.retainedSurplusFen)} | ${formatYuan(i.fundShareOfOverspendFen)} | ${formatYuan(i.hospitalBearsFen)}\n`);
        }
      }
      if (c.perVisit.length) {
        process.stdout.write('门诊人次定额 outpatient per-visit quota: 机构 | 人次 visits | 定额 quota/visit | 实际 actual | 应付 payable\n');
        for (const v of c.perVisit) process.stdout.write(`${v.institutionId} | ${v.visits} | ${formatYuan(v.quotaPerVisitFen)} | ${formatYuan(v.actualFen)} | ${formatYuan(v.payableFen)}\n`);
      }
      if (dip) {
        process.stdout.write(`DIP 点数法 ${dip.groups} 病种: 预算点值 ${(dip.estimatedPointValueFen / 100).toFixed(4)} 元/分 · 结算点值 ${(dip.settlementPointValueFen / 100).toFixed(4)} 元/分 · 未入组 unscored ${dip.unscored}\n`);
        process.stdout.write('机构 institution | 例数 cases | 病例支付 payment | 基金应付 fund due | 月度预结算 prepaid | 年终清算 year-end | 特例单议 review\n');
        for (const i of dip.institutions) process.stdout.write(`${i.institutionId} | ${i.cases} | ${formatYuan(i.paymentFen)} | ${formatYuan(i.fundDueFen)} | ${formatYuan(i.prepaidFen)} | ${formatYuan(i.yearEndPaymentFen)} | ${i.reviewCases}\n`);
      } else if (dipError) process.stdout.write(`DIP 清算未完成 DIP clearing skipped: ${dipError}\n`);
      process.stdout.write(`科室二次分配 department allocations: ${c.departments} · 预警 alerts: ${c.alerts.length}\n`);
      for (const a of c.alerts.slice(0, 20)) process.stdout.write(`  ${a.departmentId} ${a.kind}: ${a.message}\n`);
      if (c.alerts.length > 20) process.stdout.write(`  … ${c.alerts.length - 20} more (--json for all)\n`);
    });
  });
}
