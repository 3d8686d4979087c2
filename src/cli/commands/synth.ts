/**
 * `medfund synth` — write a synthetic region (the files of REGION_FILES, labels.jsonl, bad-rows.jsonl,
 * manifest.json) into a directory. Contract: `medfund synth --out DIR --hospitals N --inpatients N
 * --outpatients N --years N --seed N`.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { MedfundError, issue } from '../../domain/index.js';
import { writeRegion, type SynthOptions } from '../../synth/index.js';

function intOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`--${name}: "${value}" is not an integer in [${min}, ${max}] / 须为 ${min}–${max} 的整数`);
    }
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('生成合成统筹区数据（含标注的违规样本） · generate a synthetic region with labelled irregularities')
    .option('--out <dir>', 'output directory / 输出目录', '.medfund/region')
    .option('--hospitals <n>', 'hospitals (levels 三/二/一级 in turn) / 医院数', intOption('hospitals', 1, 30), 3)
    .option('--inpatients <n>', 'inpatient stays / 住院人次', intOption('inpatients', 0, 10_000_000), 5000)
    .option('--outpatients <n>', 'outpatient + online visits / 门诊及互联网诊疗人次', intOption('outpatients', 0, 50_000_000), 50_000)
    .option('--years <n>', 'years of history ending at --end-date / 历史年数', intOption('years', 1, 10), 3)
    .option('--seed <n>', 'random seed (same seed, same region) / 随机种子', intOption('seed', 0, 2 ** 32 - 1), 1)
    .option('--end-date <date>', 'last day of the history / 截止日期', '2025-12-31')
    .option('--region-code <code>', 'pooling-region code (synthetic by default) / 统筹区代码', '990100')
    .option('--no-irregularities', 'clean region without injected irregularities / 不注入违规样本')
    .option('--no-bad-rows', 'no deliberately invalid rows / 不生成错误行')
    .option('--json', 'print the manifest as JSON / 以 JSON 输出')
    .action((o: { out: string; hospitals: number; inpatients: number; outpatients: number; years: number; seed: number; endDate: string; regionCode: string; irregularities: boolean; badRows: boolean; json?: boolean }) => {
      const options: SynthOptions = {
        hospitals: o.hospitals,
        inpatients: o.inpatients,
        outpatients: o.outpatients,
        years: o.years,
        seed: o.seed,
        endDate: o.endDate,
        regionCode: o.regionCode,
        injectionScale: o.irregularities ? 1 : 0,
        badRowScale: o.badRows ? 1 : 0,
      };
      const out = resolve(o.out);
      const total = o.inpatients + o.outpatients;
      const bar = !o.json && process.stderr.isTTY ? new cliProgress.SingleBar({ format: '合成 synth [{bar}] {percentage}% | {value}/{total} encounters', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(total, 0);
      const t0 = performance.now();
      let result;
      try {
        result = writeRegion(out, options, (n) => bar?.update(Math.min(n, total)));
      } catch (err) {
        if (err instanceof RangeError) throw new MedfundError([issue('invalid-option', 'synth', err.message)], { cause: err });
        throw err;
      } finally {
        bar?.stop();
      }
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ ...result, elapsedSeconds: Number(seconds.toFixed(2)) })}\n`);
        return;
      }
      const c = result.counts;
      const labels = Object.values(result.labels).reduce((a, b) => a + b, 0);
      const bad = Object.values(result.badRows).reduce((a, b) => a + b, 0);
      process.stdout.write(
        [
          `合成统筹区已写入 ${out}（${result.dateRange.from} – ${result.dateRange.to}，种子 ${result.seed}，用时 ${seconds.toFixed(1)} 秒）`,
          `  机构 ${c['institutions.csv']} · 科室 ${c['departments.csv']} · 人员 ${c['practitioners.csv']} · 参保人 ${c['persons.csv']}`,
          `  就诊 ${c['encounters.csv']} · 结算明细 ${c['settlement-lines.csv']} · 科室成本 ${c['department-costs.csv']}`,
          `  违规标注 ${labels} 条（labels.jsonl）· 故意错误行 ${bad} 行（bad-rows.jsonl）`,
          `Synthetic region written to ${out}: ${c['encounters.csv']} encounters, ${c['settlement-lines.csv']} lines, ${labels} labels, ${bad} bad rows; next: medfund import ${o.out}`,
          '',
        ].join('\n'),
      );
    });
}
