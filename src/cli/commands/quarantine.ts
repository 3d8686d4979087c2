import type { Command } from 'commander';
import { printJson, withStore, withStoreOptions } from '../util.js';
import type { SqlValue } from '../../store/index.js';

interface QuarantineIssue {
  code: string;
  path: string;
  message: string;
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('quarantine')
      .description('隔离区 List rejected rows: file, row, field and reason, with the raw row')
      .option('--file <name>', 'only this source file')
      .option('--reason <code>', 'only rows with this reason code (e.g. amount-mismatch)')
      .option('--limit <n>', 'at most this many rows', '50')
      .option('--json', 'JSON output'),
  ).action(async (opts: { file?: string; reason?: string; limit: string; json?: boolean; db?: string; databaseUrl?: string }) => {
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit <= 0) throw new Error(`--limit must be a positive integer, got ${opts.limit}`);
    await withStore(opts, async (store) => {
      const conds: string[] = [];
      const params: SqlValue[] = [];
      if (opts.file) {
        params.push(opts.file);
        conds.push(`source_file = $${params.length}`);
      }
      if (opts.reason) {
        params.push(`%${opts.reason}%`);
        conds.push(`reason_codes LIKE $${params.length}`);
      }
      params.push(limit);
      const rows = await store.query(
        `SELECT source_file, source_row, kind, institution_id, raw, reasons FROM quarantine ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
         ORDER BY source_file, source_row LIMIT $${params.length}`,
        params,
      );
      const out = rows.map((r) => ({
        file: String(r.source_file), row: Number(r.source_row), kind: String(r.kind), institutionId: String(r.institution_id),
        issues: JSON.parse(String(r.reasons)) as QuarantineIssue[], raw: String(r.raw),
      }));
      if (opts.json) return printJson({ rows: out });
      for (const r of out) {
        for (const i of r.issues) process.stdout.write(`${r.file}:${r.row}  ${i.path || '-'}  ${i.code}: ${i.message}\n`);
        process.stdout.write(`    raw: ${r.raw.slice(0, 160)}\n`);
      }
      if (out.length === 0) process.stdout.write('隔离区为空 no quarantined rows match\n');
    });
  });
}
