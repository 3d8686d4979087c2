/**
 * PostgreSQL store (`DATABASE_URL`): same schema and migrations as the embedded store. Bulk appends
 * use COPY … FROM STDIN (CSV), the fastest path into PostgreSQL.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { SqlStore } from './base.js';
import type { ExecOptions, Row, SqlValue, Store } from './store.js';

// int8 and numeric (SUM of BIGINT) arrive as strings; MedFund's integers stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

type Queryable = pg.Pool | pg.PoolClient;

function csvField(v: SqlValue): string {
  if (v === null) return '';
  const s = String(v);
  // Quote every non-null text so that '' (empty string) is distinct from NULL in COPY CSV.
  return `"${s.replace(/"/g, '""')}"`;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@');
}

export class PostgresStore extends SqlStore {
  readonly dialect = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly client: Queryable,
    readonly location: string,
  ) {
    super();
  }

  /** `schema` isolates a store inside a shared database (tests use a fresh schema per run). */
  static async open(url: string, schema?: string): Promise<PostgresStore> {
    const options = schema ? `-c search_path=${schema}` : undefined;
    const pool = new pg.Pool({ connectionString: url, max: 4, options });
    if (schema) {
      const c = await pool.connect();
      try {
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`);
      } finally {
        c.release();
      }
    }
    return new PostgresStore(pool, pool, redactUrl(url) + (schema ? `#${schema}` : ''));
  }

  async query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const res = await this.client.query(sql, params as unknown[] | undefined);
    return res.rows as T[];
  }

  // PostgreSQL reports no progress of a statement: `opts.onProgress` is never called
  async exec(sql: string, params?: readonly SqlValue[], _opts?: ExecOptions): Promise<void> {
    await this.client.query(sql, params as unknown[] | undefined);
  }

  async withTransaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.client !== this.pool) return fn(this); // already inside one
    const client = await this.pool.connect();
    const tx = new PostgresStore(this.pool, client, this.location);
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async appendRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    await this.withClient(async (client) => {
      const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      function* lines(): Generator<string> {
        let buf = '';
        for (const row of rows) {
          buf += row.map(csvField).join(',') + '\n';
          if (buf.length > 1 << 16) {
            yield buf;
            buf = '';
          }
        }
        if (buf) yield buf;
      }
      await pipeline(Readable.from(lines()), sink);
    });
  }

  async copyCsvFile(table: string, columns: readonly string[], path: string): Promise<void> {
    await this.withClient(async (client) => {
      const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(createReadStream(path), sink);
    });
  }

  /** COPY needs a dedicated client: the transaction's own, or one borrowed from the pool. */
  private async withClient(fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    if (this.client !== this.pool) return fn(this.client as pg.PoolClient);
    const client = await this.pool.connect();
    try {
      await fn(client);
    } finally {
      client.release();
    }
  }

  protected async *streamQuery(sql: string, params: readonly SqlValue[], batchSize: number): AsyncIterable<Row[]> {
    // Server-side cursor inside a read-only transaction on a dedicated connection.
    const client = await this.pool.connect();
    const cursor = `medfund_cur_${Math.random().toString(36).slice(2)}`;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params as unknown[]);
      for (;;) {
        const res = await client.query(`FETCH ${batchSize} FROM ${cursor}`);
        if (res.rows.length === 0) break;
        yield res.rows as Row[];
      }
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** Drop the schema this store lives in (tests). */
  async dropSchema(schema: string): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '')}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
