/**
 * Embedded default store on DuckDB (see docs/architecture.md § Storage for why DuckDB): one file,
 * no server, columnar execution for the region-year aggregations the engines run, and a bulk
 * appender for imports.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { SqlStore } from './base.js';
import { sqlString, type ExecOptions, type Row, type SqlValue, type Store } from './store.js';

function toJs(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

function rowsFrom(names: string[], rows: unknown[][]): Row[] {
  const out = new Array<Row>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]!;
    const r: Row = {};
    for (let c = 0; c < names.length; c++) r[names[c]!] = toJs(src[c]);
    out[i] = r;
  }
  return out;
}

/** How often a statement with `onProgress` is asked how far it has come. */
const PROGRESS_POLL_MS = 250;
const params = (p: readonly SqlValue[] | undefined): DuckDBValue[] | undefined => (p && p.length ? (p as DuckDBValue[]) : undefined);

export class DuckDbStore extends SqlStore {
  readonly dialect = 'duckdb' as const;
  /**
   * Serialises work on the shared connection (DuckDB connections are not re-entrant). On the root
   * store a whole transaction is one link of the chain, so a concurrent caller (another HTTP
   * request) waits for the COMMIT instead of running inside someone else's transaction; inside the
   * transaction its own statements go through the view's chain.
   */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly location: string,
    /** set on the view handed to a transaction's callback */
    private readonly inTransaction = false,
  ) {
    super();
  }

  static async open(path: string): Promise<DuckDbStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    return new DuckDbStore(instance, conn, path);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async query<T extends Row = Row>(sql: string, p?: readonly SqlValue[]): Promise<T[]> {
    return this.serial(async () => {
      const reader = await this.conn.runAndReadAll(sql, params(p));
      return rowsFrom(reader.columnNames(), reader.convertRows(JSDuckDBValueConverter) as unknown[][]) as T[];
    });
  }

  async exec(sql: string, p?: readonly SqlValue[], opts?: ExecOptions): Promise<void> {
    const onProgress = opts?.onProgress;
    if (!onProgress) {
      await this.serial(() => this.conn.run(sql, params(p)));
      return;
    }
    await this.serial(async () => {
      // DuckDB tracks a query's progress only with its progress bar on (printing off: no terminal output)
      await this.conn.run(`SET enable_progress_bar = true; SET enable_progress_bar_print = false`);
      let last = -1; // reported only when it grows (an estimate may dip as a scan's total is refined)
      const poll = setInterval(() => {
        const pct = this.conn.progress.percentage;
        if (pct > last) onProgress(Math.min(1, (last = pct) / 100));
      }, opts.progressEveryMs ?? PROGRESS_POLL_MS);
      try {
        await this.conn.run(sql, params(p));
      } finally {
        clearInterval(poll);
        // After a failed statement inside a transaction nothing runs until the rollback: the tracking
        // then stays on (printing off, so unseen), and the statement's own error is what the caller gets.
        await this.conn.run(`RESET enable_progress_bar; RESET enable_progress_bar_print`).catch(() => undefined);
      }
    });
  }

  async withTransaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this); // nested: join the open transaction
    return this.serial(async () => {
      await this.conn.run('BEGIN TRANSACTION');
      const view = new DuckDbStore(this.instance, this.conn, this.location, true);
      view.typeCache = this.typeCache;
      try {
        const result = await fn(view);
        await view.chain; // statements the callback started but did not await
        await this.conn.run('COMMIT');
        return result;
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * Bulk append through DuckDB's appender. Values are written with the column's own type: the
   * appender needs exact types, so numbers go to BIGINT/INTEGER/DOUBLE columns as the table says.
   */
  async appendRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    await this.serial(async () => {
      const types = await this.columnTypes(table);
      const kinds = columns.map((c) => {
        const t = types.get(c);
        if (!t) throw new Error(`appendRows: table ${table} has no column ${c}`);
        return t;
      });
      if (columns.length !== types.size) {
        // The appender fills every column in table order; build a full-width row.
        throw new Error(`appendRows: ${table} has ${types.size} columns, ${columns.length} given; pass them all in table order`);
      }
      const appender = await this.conn.createAppender(table);
      try {
        for (const row of rows) {
          for (let c = 0; c < kinds.length; c++) {
            const v = row[c];
            if (v === null || v === undefined) {
              appender.appendNull();
              continue;
            }
            switch (kinds[c]) {
              case 'BIGINT':
                appender.appendBigInt(BigInt(v as number));
                break;
              case 'INTEGER':
                appender.appendInteger(v as number);
                break;
              case 'DOUBLE':
                appender.appendDouble(v as number);
                break;
              case 'BOOLEAN':
                appender.appendBoolean(v as boolean);
                break;
              default:
                appender.appendVarchar(String(v));
            }
          }
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    });
  }

  async copyCsvFile(table: string, columns: readonly string[], path: string): Promise<void> {
    if (statSync(path).size === 0) return; // nothing to load (DuckDB cannot sniff an empty file)
    await this.exec(
      `COPY ${table} (${columns.join(', ')}) FROM ${sqlString(path)} (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', ALLOW_QUOTED_NULLS false, AUTO_DETECT false, NEW_LINE '\\n')`,
    );
  }

  private typeCache = new Map<string, Map<string, string>>();
  private async columnTypes(table: string): Promise<Map<string, string>> {
    let m = this.typeCache.get(table);
    if (!m) {
      const reader = await this.conn.runAndReadAll(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      m = new Map(reader.getRowsJS().map((r) => [String(r[0]), String(r[1])]));
      if (m.size === 0) throw new Error(`appendRows: no table ${table}`);
      this.typeCache.set(table, m);
    }
    return m;
  }

  protected async *streamQuery(sql: string, p: readonly SqlValue[], batchSize: number): AsyncIterable<Row[]> {
    // A separate connection so the caller may write through the store while reading the stream.
    const conn = await this.instance.connect();
    try {
      const result = await conn.stream(sql, params(p));
      const names = result.columnNames();
      let batch: Row[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const r of rowsFrom(names, chunk.convertRows(JSDuckDBValueConverter) as unknown[][])) batch.push(r);
        while (batch.length >= batchSize) {
          yield batch.slice(0, batchSize);
          batch = batch.slice(batchSize);
        }
      }
      if (batch.length) yield batch;
    } finally {
      conn.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.inTransaction) throw new Error('close() called on a transaction view; close the store itself');
    await this.chain;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
