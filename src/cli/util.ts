/** Small shared helpers for CLI commands: store options, progress bars, JSON output. */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openStore, type Store } from '../store/index.js';

/** Adds the store options every data command takes. */
export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'embedded DuckDB file (default: $MEDFUND_DB or .medfund/medfund.duckdb)')
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)');
}

export async function storeFrom(opts: { db?: string; databaseUrl?: string }): Promise<Store> {
  return openStore({ db: opts.db, databaseUrl: opts.databaseUrl });
}

/** Run `fn` with an open store and always close it. */
export async function withStore<T>(opts: { db?: string; databaseUrl?: string }, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await storeFrom(opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A progress bar on stderr (silent when stderr is not a terminal, or with --json piping). */
export function progressBar(label: string, total: number, unit = ''): { update(value: number, payload?: Record<string, unknown>): void; stop(): void } {
  if (!process.stderr.isTTY || process.env.MEDFUND_NO_PROGRESS) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total}${unit} {info}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return { update: (v, p) => bar.update(v, p), stop: () => bar.stop() };
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Record that a region directory was imported (tools find its labels.jsonl there later). */
export async function recordImportSource(store: Store, dir: string): Promise<void> {
  const { resolve } = await import('node:path');
  await store.exec(`INSERT INTO import_sources (dir, imported_at) VALUES ($1, $2)`, [resolve(dir), new Date().toISOString()]);
}

/** One progress bar per region file, for `importRegion`'s `onFile` hook (import and demo share it). */
/** The progress bar's info text: rows read, or how far storing has come (native settlement-line path). */
export function importInfo(rows: number, storing: number | undefined): string {
  return storing === undefined ? `${rows} rows` : `写入 storing ${Math.round(storing * 100)}%`;
}

export function regionProgress(): { onFile: (kind: string, path: string) => (bytes: number, total: number, rows: number, storing?: number) => void; stop(): void } {
  let bar: ReturnType<typeof progressBar> | undefined;
  return {
    onFile: (_kind, path) => {
      bar?.stop();
      bar = progressBar(`导入 ${basename(path)}`, Math.max(1, Math.round(statSync(path).size / 1024)), ' KiB');
      const current = bar;
      return (bytes, _total, rows, storing) => current.update(Math.round(bytes / 1024), { info: importInfo(rows, storing) });
    },
    stop: () => bar?.stop(),
  };
}
