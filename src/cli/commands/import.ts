import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { importFhirBundle, importFile, importRegion, loadPseudonymKey, type FileReport } from '../../ingest/index.js';
import { importInfo, printJson, progressBar, recordImportSource, regionProgress, withStore, withStoreOptions, yuan } from '../util.js';

function printReports(files: FileReport[]): void {
  for (const f of files) {
    const money = f.amountFenRead !== undefined ? `  金额 read ${yuan(f.amountFenRead)} = stored ${yuan(f.amountFenStored!)} + quarantined ${yuan(f.amountFenQuarantined!)}` : '';
    const status = f.status === 'already-imported' ? ' (已导入过 already imported — nothing stored twice)' : '';
    process.stdout.write(
      `${f.file.padEnd(24)} read ${f.rowsRead} → stored ${f.rowsStored}, quarantined ${f.rowsQuarantined}` +
        `${f.rowsDuplicate ? `, duplicates ${f.rowsDuplicate}` : ''}${status}${money}\n`,
    );
    const reasons = Object.entries(f.reasons).sort((a, b) => b[1] - a[1]);
    if (reasons.length) process.stdout.write(`  隔离原因 reasons: ${reasons.map(([c, n]) => `${c} ×${n}`).join(', ')}\n`);
  }
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('import <path>')
      .description('导入数据 Import a region directory, one region file (CSV UTF-8/GBK, JSONL) or a FHIR R4 bundle (.json)')
      .option('--kind <kind>', 'file kind when the name does not say (e.g. settlementLines)')
      .option('--encoding <enc>', 'utf-8 or gbk (default: detected)')
      .option('--json', 'print one JSON object {files:[…]}'),
  ).action(async (path: string, opts: { kind?: string; encoding?: string; json?: boolean; db?: string; databaseUrl?: string }) => {
    if (!existsSync(path)) throw new Error(`${path}: no such file or directory`);
    if (opts.encoding && opts.encoding !== 'utf-8' && opts.encoding !== 'gbk') throw new Error(`--encoding must be utf-8 or gbk, got ${opts.encoding}`);
    const pseudonymKey = loadPseudonymKey();
    await withStore(opts, async (store) => {
      let files: FileReport[];
      if (statSync(path).isDirectory()) {
        const progress = regionProgress();
        const report = await importRegion(store, path, { pseudonymKey, encoding: opts.encoding as 'utf-8' | 'gbk' | undefined, onFile: progress.onFile });
        progress.stop();
        files = report.files;
        await recordImportSource(store, path);
      } else if (/\.json$/i.test(path)) {
        files = await importFhirBundle(store, path, { pseudonymKey });
      } else {
        const bar = progressBar(`导入 ${basename(path)}`, Math.max(1, Math.round(statSync(path).size / 1024)), ' KiB');
        files = [
          await importFile(store, path, {
            pseudonymKey,
            kind: opts.kind as never,
            encoding: opts.encoding as 'utf-8' | 'gbk' | undefined,
            onProgress: (bytes, _t, rows, storing) => bar.update(Math.round(bytes / 1024), { info: importInfo(rows, storing) }),
          }),
        ];
        bar.stop();
      }
      if (opts.json) printJson({ store: store.location, files });
      else {
        printReports(files);
        process.stdout.write(`\n数据已写入 stored in ${store.location}. 下一步 next: medfund status · medfund quality\n`);
      }
    });
  });
}
