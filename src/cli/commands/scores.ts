/**
 * `medfund scores` — supervision scores per hospital, department or doctor: violation rate 违规率,
 * amount at stake 违规金额, appeal success rate 申诉成功率, rectification timeliness 整改及时率 and the
 * fund-safety index 基金安全指数 (docs/formulas.md § Casework scores).
 */
import type { Command } from 'commander';
import { MedfundError, issue } from '../../domain/index.js';
import { SCORE_LEVELS, scoresFromStore, summarizeScores } from '../../casework/index.js';
import type { ScoreLevel, UnitScore } from '../../casework/index.js';
import { printJson, withStore, withStoreOptions, yuan } from '../util.js';

const pct = (x: number | null): string => (x === null ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatScoreRow(s: UnitScore): string {
  return `${s.unitId.padEnd(28)} ${String(s.fundSafetyIndex.toFixed(1)).padStart(5)}  ${pct(s.violationRate)} ${String(s.violatingEncounters).padStart(5)}/${String(s.encounters).padEnd(6)} ${yuan(s.amountAtStakeFen).padStart(14)} ${pct(s.amountRate)}  ${pct(s.appealSuccessRate)}  ${pct(s.rectificationTimeliness)}`;
}

export function register(program: Command): void {
  withStoreOptions(program.command('scores').description('监管评分 Scores per hospital/department/doctor and the fund-safety index 基金安全指数'))
    .option('--level <level>', `${SCORE_LEVELS.join(' | ')}`, 'hospital')
    .option('--as-of <date>', 'date for rectification timeliness (default today)')
    .option('--limit <n>', 'rows to print (lowest index first)', '30')
    .option('--json', 'JSON output (all rows)')
    .action(async (o: { level: string; asOf?: string; limit: string; json?: boolean; db?: string; databaseUrl?: string }) => {
      if (!(SCORE_LEVELS as readonly string[]).includes(o.level)) {
        throw new MedfundError([issue('invalid-option', '--level', `level must be one of ${SCORE_LEVELS.join(', ')}, got "${o.level}"`)]);
      }
      const asOf = o.asOf ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new MedfundError([issue('invalid-option', '--as-of', `expected YYYY-MM-DD, got "${asOf}"`)]);
      await withStore(o, async (store) => {
        const scores = await scoresFromStore(store, o.level as ScoreLevel, asOf);
        const total = summarizeScores(scores);
        if (o.json) return printJson({ level: o.level, asOf, total, scores });
        process.stdout.write(
          `监管评分 scores (${o.level}, as of ${asOf}): ${scores.length} 个单位 units, 案件 cases ${total.cases}, 涉及金额 at stake ${yuan(total.amountAtStakeFen)}, 已扣款 deducted ${yuan(total.deductedFen)}\n`,
        );
        process.stdout.write(`${'单位 unit'.padEnd(27)} 安全指数  违规率  违规/就诊      涉及金额      金额占比  申诉成功  整改及时\n`);
        const limit = Number(o.limit);
        for (const s of scores.slice(0, Number.isFinite(limit) ? limit : 30)) process.stdout.write(`${formatScoreRow(s)}\n`);
      });
    });
}
