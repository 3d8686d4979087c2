import type { Command } from 'commander';
import { printJson, withStore, withStoreOptions, yuan } from '../util.js';

const TABLES = ['institutions', 'departments', 'practitioners', 'persons', 'catalog_items', 'code_mappings', 'encounters', 'settlement_lines', 'department_costs', 'quarantine'];

export function register(program: Command): void {
  withStoreOptions(program.command('status').description('库状态 What the store holds: rows per table, import batches, amounts').option('--json', 'JSON output')).action(
    async (opts: { json?: boolean; db?: string; databaseUrl?: string }) => {
      await withStore(opts, async (store) => {
        const counts: Record<string, number> = {};
        for (const t of TABLES) counts[t] = Number((await store.query(`SELECT COUNT(*) AS n FROM ${t}`))[0]?.n ?? 0);
        const [money] = await store.query(`SELECT COALESCE(SUM(amount_fen), 0) AS a, MIN(charged_at) AS f, MAX(charged_at) AS t FROM settlement_lines`);
        const batches = await store.query(`SELECT batch_id, kind, source_file, finished_at, rows_read, rows_stored, rows_quarantined FROM import_batches ORDER BY finished_at`);
        const status = {
          store: store.location, dialect: store.dialect, tables: counts, settlementAmountFen: Number(money?.a ?? 0),
          chargedFrom: money?.f ?? null, chargedTo: money?.t ?? null, batches,
        };
        if (opts.json) return printJson(status);
        process.stdout.write(`存储 store: ${store.location} (${store.dialect})\n`);
        for (const [t, n] of Object.entries(counts)) process.stdout.write(`  ${t.padEnd(18)} ${n.toLocaleString('en-US')}\n`);
        process.stdout.write(`  结算金额 settlement amount ${yuan(status.settlementAmountFen)} (${String(status.chargedFrom ?? '-').slice(0, 10)} … ${String(status.chargedTo ?? '-').slice(0, 10)})\n`);
        process.stdout.write(`  导入批次 import batches: ${batches.length}\n`);
      });
    },
  );
}
