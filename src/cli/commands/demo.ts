/**
 * `medfund demo`: the README's main job on the embedded default — generate a synthetic region,
 * import it, run every engine's demo step, print a summary and where to look next.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { importRegion, loadPseudonymKey, qualityReport } from '../../ingest/index.js';
import { DEMO_STEPS } from '../demo-steps/index.js';
import { recordImportSource, regionProgress, withStore, withStoreOptions, yuan } from '../util.js';

interface DemoOptions {
  out: string;
  hospitals: string;
  inpatients: string;
  outpatients: string;
  years: string;
  seed: string;
  serve?: boolean;
  port: string;
  db?: string;
  databaseUrl?: string;
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('demo')
      .description('演示 Generate a synthetic region, import it, run every engine and print a summary')
      .option('--out <dir>', 'where the demo region is generated', '.medfund/demo-region')
      .option('--hospitals <n>', 'hospitals', '3')
      .option('--inpatients <n>', 'inpatient stays', '5000')
      .option('--outpatients <n>', 'outpatient visits', '50000')
      .option('--years <n>', 'years of history', '3')
      .option('--seed <n>', 'generator seed', '1')
      .option('--serve', 'start the web application afterwards')
      .option('--port <n>', 'port for --serve', '8080'),
  ).action(async (opts: DemoOptions) => {
    const t0 = performance.now();
    const log = (line: string): void => void process.stdout.write(line + '\n');
    const dir = resolve(opts.out);
    log(`MedFund 演示 demo — 合成区域 synthetic region (seed ${opts.seed}) → ${dir}`);
    if (!existsSync(join(dir, 'manifest.json'))) {
      await program.parseAsync(
        ['synth', '--out', dir, '--hospitals', opts.hospitals, '--inpatients', opts.inpatients, '--outpatients', opts.outpatients, '--years', opts.years, '--seed', opts.seed],
        { from: 'user' },
      );
    } else log('  (区域已生成 region already generated — reusing it)');

    const summary: string[] = [];
    await withStore(opts, async (store) => {
      log(`\n导入 import → ${store.location}`);
      const progress = regionProgress();
      const report = await importRegion(store, dir, { pseudonymKey: loadPseudonymKey(), onFile: progress.onFile });
      progress.stop();
      await recordImportSource(store, dir);
      const lines = report.files.find((f) => f.kind === 'settlementLines');
      summary.push(
        `数据 data: ${report.totals.rowsRead.toLocaleString('en-US')} rows read, ${report.totals.rowsStored.toLocaleString('en-US')} stored, ` +
          `${report.totals.rowsQuarantined.toLocaleString('en-US')} quarantined` +
          (report.files.some((f) => f.status === 'already-imported') ? ' (已导入的文件未重复存储 re-import stored nothing twice)' : ''),
      );
      if (lines?.amountFenRead !== undefined) {
        summary.push(`  结算明细 settlement lines: ${yuan(lines.amountFenRead)} read = ${yuan(lines.amountFenStored!)} stored + ${yuan(lines.amountFenQuarantined!)} quarantined`);
      }
      const q = await qualityReport(store);
      const worst = [...q.bySource].sort((a, b) => a.validityPct - b.validityPct)[0];
      if (worst) summary.push(`  数据质量 quality: lowest validity ${worst.validityPct}% in ${worst.key} (medfund quality)`);

      for (const step of DEMO_STEPS) {
        const t = performance.now();
        log(`\n▶ ${step.name}`);
        try {
          const out = await step.run(store, { regionDir: dir, log });
          summary.push(`${step.name} (${((performance.now() - t) / 1000).toFixed(1)} s)`, ...out.map((l) => `  ${l}`));
        } catch (err) {
          summary.push(`${step.name}: 失败 FAILED — ${(err as Error).message}`);
          process.exitCode = 1;
        }
      }
    });

    log('\n════════ MedFund 演示摘要 demo summary ════════');
    for (const l of summary) log(l);
    log(`\n用时 elapsed ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    log('下一步 where to look next:');
    log('  npx medfund status | quality | group --help | audit --help | cost --help   (CLI)');
    log('  docs/architecture.md · docs/data-model.md · docs/formulas.md');
    if (opts.serve) {
      if (program.commands.some((c) => c.name() === 'serve')) {
        await program.parseAsync(['serve', '--port', opts.port, ...(opts.db ? ['--db', opts.db] : [])], { from: 'user' });
      } else log('  (web server not available in this build)');
    } else log('  npx medfund serve   → web application');
  });
}
