import type { Command } from 'commander';
import { qualityReport, unmappedCodesReport } from '../../ingest/index.js';
import type { QualityRow } from '../../ingest/index.js';
import { printJson, withStore, withStoreOptions } from '../util.js';

function table(title: string, rows: QualityRow[]): string {
  const head = `${title}\n  ${'source'.padEnd(26)} ${'read'.padStart(9)} ${'stored'.padStart(9)} ${'quar.'.padStart(7)}  完整性  有效性  一致性  及时性\n`;
  return head + rows.map((r) => {
    const p = (v: number | null) => (v === null ? '     - ' : `${v.toFixed(2).padStart(6)}%`);
    return `  ${r.key.slice(0, 26).padEnd(26)} ${String(r.rowsRead).padStart(9)} ${String(r.rowsStored).padStart(9)} ${String(r.rowsQuarantined).padStart(7)} ${p(r.completenessPct)} ${p(r.validityPct)} ${p(r.consistencyPct)} ${p(r.timelinessPct)}`;
  }).join('\n') + '\n';
}

export function register(program: Command): void {
  withStoreOptions(program.command('quality').description('数据质量 Data-quality report per source and institution (completeness, validity, consistency, timeliness %) and unmapped codes').option('--json', 'JSON output')).action(
    async (opts: { json?: boolean; db?: string; databaseUrl?: string }) => {
      await withStore(opts, async (store) => {
        const report = await qualityReport(store);
        const unmapped = await unmappedCodesReport(store);
        if (opts.json) return printJson({ ...report, unmappedCodes: unmapped });
        process.stdout.write(table('按来源 by source', report.bySource));
        process.stdout.write(table('按机构 by institution', report.byInstitution));
        process.stdout.write(`未映射编码 unmapped local codes: ${unmapped.length}\n`);
        for (const u of unmapped.slice(0, 20)) process.stdout.write(`  ${u.institutionId} ${u.localCode} ×${u.rows}\n`);
      });
    },
  );
}
