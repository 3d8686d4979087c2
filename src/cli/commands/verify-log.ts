/** `medfund verify-log` — recompute the audit-log hash chain; exit code 1 when anything was altered or deleted. */
import type { Command } from 'commander';
import { withStore, withStoreOptions } from '../util.js';
import { resolveKeys, verifyAuditLog } from '../../security/index.js';

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('verify-log')
      .description('verify the tamper-evident audit log 校验审计日志 (detects edits and deletions)')
      .option('--json', 'machine-readable output'),
  ).action(async (opts: { json?: boolean; db?: string; databaseUrl?: string }) => {
      const keys = resolveKeys();
      await withStore(opts, async (store) => {
        const result = await verifyAuditLog(store, keys.auditKey);
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else if (result.ok) {
          process.stdout.write(`审计日志完整 / audit log intact: ${result.entries} entries, last seq ${result.lastSeq}\n`);
        } else {
          process.stdout.write(`审计日志被篡改 / audit log TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries\n`);
          for (const p of result.problems) process.stdout.write(`  seq ${p.seq}: ${p.code} — ${p.message}\n`);
        }
        if (!result.ok) process.exitCode = 1;
      });
    });
}
