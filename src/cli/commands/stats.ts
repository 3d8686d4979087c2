/**
 * `medfund stats --by department`: post-hoc statistics (事后统计) of settled encounters — totals,
 * self-paid, Class B self-pay-first, deductible, co-pay, quota, over-quota ratio, over-4×-quota cost,
 * average LOS and cost — by insurance type, person type, department, doctor, month, charge category
 * or institution, outpatient and inpatient apart.
 */
import type { Command } from 'commander';
import { formatYuan } from '../../domain/index.js';
import type { ChargeCategory } from '../../domain/index.js';
import { ANALYSIS_DIMENSIONS, analyse } from '../../settlement/index.js';
import type { AnalysisDimension, AnalysisRow } from '../../settlement/index.js';
import { settleStore } from '../demo-steps/settlement.js';
import { printJson, withStore, withStoreOptions } from '../util.js';

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('stats')
      .description('事后统计: outpatient and inpatient statistics of settled encounters · settlement analysis')
      .option('--by <dimension>', `one of ${ANALYSIS_DIMENSIONS.join(', ')}`, 'department')
      .option('--from <month>', 'first month YYYY-MM')
      .option('--to <month>', 'last month YYYY-MM')
      .option('--run <id>', 'settlement run id', 'default')
      .option('--json', 'machine-readable output'),
  ).action(async (opts: { by: string; from?: string; to?: string; run: string; json?: boolean; db?: string; databaseUrl?: string }) => {
    if (!(ANALYSIS_DIMENSIONS as readonly string[]).includes(opts.by)) throw new Error(`--by must be one of ${ANALYSIS_DIMENSIONS.join(', ')}, got "${opts.by}"`);
    const by = opts.by as AnalysisDimension;
    await withStore(opts, async (store) => {
      const have = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM settlement_results WHERE run_id = $1', [opts.run]);
      if (Number(have[0]?.n ?? 0) === 0) await settleStore(store, { runId: opts.run });
      const raw = await store.query<Record<string, string | number>>(
        `SELECT kind, scheme, person_type, institution_id, department_id, doctor_id, month, los_days, total_fen, full_self_pay_fen, over_limit_fen,
           pre_self_pay_fen, deductible_fen, co_pay_fen, fund_total_fen, patient_fen, drug_fen, consumable_fen, service_fen, facility_fen
         FROM settlement_results WHERE run_id = $1 AND month >= $2 AND month <= $3`,
        [opts.run, opts.from ?? '0000-00', opts.to ?? '9999-99'],
      );
      const rows: AnalysisRow[] = raw.map((r) => ({
        kind: r.kind as AnalysisRow['kind'], scheme: String(r.scheme), personType: String(r.person_type), institutionId: String(r.institution_id),
        departmentId: String(r.department_id), doctorId: String(r.doctor_id), month: String(r.month), losDays: Number(r.los_days), totalFen: Number(r.total_fen),
        fullSelfPayFen: Number(r.full_self_pay_fen), overLimitFen: Number(r.over_limit_fen), preSelfPayFen: Number(r.pre_self_pay_fen), deductibleFen: Number(r.deductible_fen),
        coPayFen: Number(r.co_pay_fen), fundTotalFen: Number(r.fund_total_fen), patientFen: Number(r.patient_fen),
        byCategory: { drug: Number(r.drug_fen), consumable: Number(r.consumable_fen), service: Number(r.service_fen), facility: Number(r.facility_fen) } as Record<ChargeCategory, number>,
      }));
      const groups = analyse(rows, by);
      if (opts.json) {
        printJson({ by, run: opts.run, encounters: rows.length, groups });
        return;
      }
      process.stdout.write(`事后统计 statistics by ${by} (${rows.length} encounters, run ${opts.run})\n`);
      process.stdout.write('类别 kind | 分组 group | 人次 n | 总额 total | 自费 self-paid | 乙类先行自付 | 起付线 | 共付 co-pay | 基金 fund | 次均 avg | 定额 quota | 超定额率 over | 超4倍费用 >4× | 平均住院日 ALOS\n');
      for (const g of groups) {
        process.stdout.write(
          `${g.kind === 'inpatient' ? '住院' : '门诊'} | ${g.key} | ${g.encounters} | ${formatYuan(g.totalFen)} | ${formatYuan(g.selfPaidFen)} | ${formatYuan(g.preSelfPayFen)} | ${formatYuan(g.deductibleFen)} | ${formatYuan(g.coPayFen)} | ${formatYuan(g.fundFen)} | ${formatYuan(g.averageCostFen)} | ${formatYuan(g.quotaFen)} | ${(g.overQuotaRatio * 100).toFixed(1)}% | ${formatYuan(g.over4xQuotaCostFen)} | ${g.averageLosDays || ''}\n`,
        );
      }
    });
  });
}
