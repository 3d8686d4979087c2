/**
 * Cost accounting over the imported demo region: the latest year with department costs, step-down
 * allocation and top-down case costing, DRG cost-benefit against the DRG step's payments; results
 * stored (400-costing) and CSV/JSON reports written next to the region.
 */
import { dirname, join } from 'node:path';
import { formatYuan } from '../../domain/index.js';
import { runCostPeriod, writeCostReports } from '../commands/cost.js';
import type { DemoStep } from './types.js';

export const costingDemoStep: DemoStep = {
  name: 'costing 成本核算',
  async run(store, ctx) {
    const [row] = await store.query(`SELECT MAX(month) AS m FROM department_costs`);
    const last = row?.m ? String(row.m) : '';
    if (!last) return ['成本核算: 无科室成本数据 no department costs imported — skipped'];
    const period = last.slice(0, 4);
    const r = await runCostPeriod(store, { period, now: new Date().toISOString().slice(0, 19), log: ctx.log });
    const out = join(dirname(ctx.regionDir), 'cost-reports', period);
    writeCostReports(r, out);
    const y = (f: number) => `${formatYuan(f)} 元`;
    const worst = r.reports.drgBenefit.filter((b) => b.drg !== '' && b.cases >= 5).sort((a, b) => a.marginFen - b.marginFen)[0];
    const cause = worst ? r.reports.lossCauses.find((l) => l.institutionId === worst.institutionId && l.drg === worst.drg) : undefined;
    return [
      `成本核算 cost accounting ${period}: ${r.institutions} 家医院 hospitals, 科室成本 imported ${y(r.importedCostFen)}`,
      `  = 分摊后 allocated ${y(r.allocatedCostFen)} = 病例 case ${y(r.caseCostFen)} + 未归集 unassigned ${y(r.unassignedCostFen)} — ${r.reconciles && r.unallocatedCostFen === 0 ? '对账一致 reconciles to the fen' : '对账不一致 DOES NOT RECONCILE'}`,
      `  DRG 成本效益 cost-benefit: ${r.drgCases} 例 cases, 支付 payment ${y(r.drgPaymentFen)}, 成本 cost ${y(r.drgCostFen)}, 亏损病组 loss-making DRGs ${r.lossMakingDrgs}` +
        (worst ? `; 亏损最多 worst ${worst.drg} @${worst.institutionId} ${y(worst.marginFen)}${cause ? ` (主因 main cause: ${cause.mainCause})` : ''}` : ''),
      `  预算预警 budget alerts ${r.overBudgetAlerts} · 耗材超阈值 consumable alerts ${r.consumableAlerts} · 拒付 denied ${y(r.deniedFen)} · 报表 reports → ${out}`,
    ];
  },
};
