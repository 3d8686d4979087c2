/**
 * Tamper-evident audit log 审计日志: every access to patient-level data and every change is appended
 * to a keyed hash chain in table `audit_log`:
 *
 *   hash(n) = HMAC-SHA256(auditKey, hash(n−1) ‖ "\n" ‖ canonical(entry n)),   hash(0) = 64 × "0"
 *
 * and the newest (seq, hash) is kept, with its own MAC, in `audit_log_head`. {@link verifyAuditLog}
 * recomputes the chain: an edited row breaks its own hash, a deleted row leaves a gap in `seq` and a
 * broken `prev_hash`, deleted newest rows disagree with the head, and because the chain is keyed a
 * database user without the key cannot recompute a consistent chain after editing.
 *
 * Appends use group commit: concurrent appends queue, one transaction writes the whole queue, and
 * each caller's promise resolves once its entry is committed. Hot read paths use `record()`
 * instead: the entry is chained in order with the rest but written with the next batch (≤ 20 ms
 * later, before any read of the log and on shutdown) without the request waiting for it — a
 * DuckDB transaction costs ≈ 3 ms of CPU, so one per request cannot sustain 1,000 requests/s.
 */
import { createHmac } from 'node:crypto';
import { sqlString, type Store, type SqlValue } from '../store/store.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction = 'read' | 'create' | 'update' | 'delete' | 'login' | 'logout' | 'login-failed' | 'import' | 'check' | 'export';

export interface AuditEntryInput {
  readonly actor: string;
  readonly role: string;
  readonly institutionId: string;
  readonly action: AuditAction;
  /** what was touched, e.g. `encounter`, `violation`, `user`, `fhir-claim` */
  readonly resource: string;
  readonly resourceId: string;
  readonly outcome: 'ok' | 'denied' | 'error';
  /** small JSON-able context; never sensitive fields (no id numbers, no names) */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface AuditEntry extends AuditEntryInput {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

const COLUMNS = ['seq', 'logged_at', 'actor', 'role', 'institution_id', 'action', 'resource', 'resource_id', 'outcome', 'detail', 'prev_hash', 'hash'] as const;

function canonical(seq: number, at: string, e: AuditEntryInput, detail: string): string {
  return JSON.stringify([seq, at, e.actor, e.role, e.institutionId, e.action, e.resource, e.resourceId, e.outcome, detail]);
}

export function chainHash(key: Buffer, prevHash: string, seq: number, at: string, e: AuditEntryInput, detail: string): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonical(seq, at, e, detail)).digest('hex');
}

function headMac(key: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`head\n${seq}\n${hash}`).digest('hex');
}

/** Stable JSON of the detail object (keys sorted) so the stored text is what was hashed. */
function detailText(detail: AuditEntryInput['detail']): string {
  if (!detail) return '{}';
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(detail).sort()) sorted[k] = detail[k];
  return JSON.stringify(sorted);
}

interface Pending {
  entry: AuditEntryInput;
  /** recorded with {@link AuditLog.record}: nobody waits for it, a failed write retries it */
  deferred: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const noop = (): void => undefined;
/** How long deferred entries may wait before a retry after a failed write. */
const RETRY_MS = 500;

export class AuditLog {
  private queue: Pending[] = [];
  private flushing: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failureReported = false;
  /** the head as of our last commit (DuckDB only, see write) */
  private knownHead: { seq: number; hash: string } | undefined;

  /**
   * @param deferMs how long {@link record} entries collect before one transaction writes them all
   *   (each DuckDB transaction costs ≈ 3 ms of CPU however few rows it carries; see docs/security.md)
   */
  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
    private readonly clock: () => Date,
    private readonly deferMs = 20,
  ) {}

  /** Append one entry; resolves when it is committed. */
  append(entry: AuditEntryInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, deferred: false, resolve, reject });
      this.cancelTimer();
      if (!this.flushing) this.flushing = this.drain(false);
    });
  }

  /**
   * Append one entry without waiting for its commit (hot read paths such as the pre-order check).
   * The entry takes its place in the chain in call order with every other entry; it is written
   * within `deferMs` together with whatever else arrived, before any read of the log ({@link flush})
   * and on shutdown. A failed write is retried, never dropped. Crash window: see docs/security.md.
   */
  record(entry: AuditEntryInput): void {
    this.queue.push({ entry, deferred: true, resolve: noop, reject: noop });
    if (!this.flushing) this.schedule(this.deferMs);
  }

  /** Write everything appended or recorded so far and wait for the commit; throws when a write fails. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      if (this.queue.length === 0) {
        this.cancelTimer();
        return;
      }
      this.cancelTimer();
      this.flushing = this.drain(true);
      const ok = await this.flushing;
      if (!ok) throw new Error('audit log: writing queued entries failed (they stay queued and are retried)');
    }
  }

  private schedule(ms: number, unref = false): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.flushing && this.queue.length) this.flushing = this.drain(false);
    }, ms);
    if (unref) this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Write the queue in batches; false when a batch failed (deferred entries re-queued). */
  private async drain(force: boolean): Promise<boolean> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.write(batch.map((p) => p.entry));
          for (const p of batch) p.resolve();
        } catch (err) {
          // Waiting callers get the error; deferred entries go back to the front, in order, for a retry.
          const deferred = batch.filter((p) => p.deferred);
          for (const p of batch) if (!p.deferred) p.reject(err);
          if (deferred.length) {
            this.queue = deferred.concat(this.queue);
            if (!this.failureReported) {
              this.failureReported = true;
              process.stderr.write(`audit log: write failed, ${deferred.length} entries queued for retry: ${(err as Error).message}\n`);
            }
            this.schedule(RETRY_MS, true);
            return false;
          }
          continue;
        }
        this.failureReported = false;
        // Only deferred entries waiting: let them collect for a full batch instead of writing a
        // tiny one at once (each transaction has a fixed cost).
        if (!force && this.queue.every((p) => p.deferred)) {
          if (this.queue.length) this.schedule(this.deferMs);
          return true;
        }
      }
      return true;
    } finally {
      this.flushing = undefined;
    }
  }

  private async write(entries: readonly AuditEntryInput[]): Promise<void> {
    // DuckDB allows one read-write process per database file, so after our own commit we know the
    // head without reading it back (saves a statement, ≈ 25 % of a batch); PostgreSQL may be shared.
    const known = this.store.dialect === 'duckdb' ? this.knownHead : undefined;
    this.knownHead = undefined;
    let tail: { seq: number; hash: string } | undefined;
    await this.store.withTransaction(async (tx) => {
      // The head (one row, updated in the same transaction) is read on every batch, so two
      // processes sharing a PostgreSQL database extend one chain rather than forking it, and the
      // read costs the same however long the log grows.
      const [head] = known ? [known] : await tx.query(`SELECT seq, hash FROM audit_log_head`);
      // no head: a new log, or a deleted head — continue after the newest entry (verify reports the deletion)
      const [last] = head ? [head] : await tx.query(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
      let seq = last ? Number(last.seq) : 0;
      let prev = last ? String(last.hash) : GENESIS_HASH;
      const at = this.clock().toISOString();
      const rows: SqlValue[][] = [];
      for (const e of entries) {
        seq += 1;
        const detail = detailText(e.detail);
        const hash = chainHash(this.key, prev, seq, at, e, detail);
        rows.push([seq, at, e.actor, e.role, e.institutionId, e.action, e.resource, e.resourceId, e.outcome, detail, prev, hash]);
        prev = hash;
      }
      const mac = headMac(this.key, seq, prev);
      // DuckDB: one literal multi-row INSERT, executed on libuv's thread pool — the appender's flush
      // and close run on the calling thread (≈ 0.6 ms per 20-row batch, a stall for every request
      // queued behind it). A text with a NUL cannot travel in a statement's text: the appender then.
      if (this.store.dialect === 'duckdb' && !rows.some((r) => r.some((v) => typeof v === 'string' && v.includes('\0'))))
        await tx.exec(`INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES ${rows.map((r) => `(${r.map((v) => (typeof v === 'number' ? String(v) : sqlString(String(v)))).join(', ')})`).join(', ')}`);
      else await tx.appendRows('audit_log', COLUMNS, rows);
      if (this.store.dialect === 'duckdb') {
        // Literal SQL is one native call; with parameters the client extracts, prepares and then
        // executes (≈ 0.3 ms more CPU per batch here). seq is an integer, hash and mac are hex
        // digests computed above, so the literals cannot change the statement.
        await tx.exec(
          head
            ? `UPDATE audit_log_head SET seq = ${seq}, hash = ${sqlString(prev)}, mac = ${sqlString(mac)}`
            : `INSERT INTO audit_log_head (seq, hash, mac) VALUES (${seq}, ${sqlString(prev)}, ${sqlString(mac)})`,
        );
      } else if (head) await tx.exec(`UPDATE audit_log_head SET seq = $1, hash = $2, mac = $3`, [seq, prev, mac]);
      else await tx.exec(`INSERT INTO audit_log_head (seq, hash, mac) VALUES ($1, $2, $3)`, [seq, prev, mac]);
      tail = { seq, hash: prev };
    });
    this.knownHead = tail; // only once committed
  }
}

export interface VerifyProblem {
  readonly seq: number;
  readonly code: 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap' | 'seq-duplicate' | 'head-missing' | 'head-mismatch' | 'head-mac-invalid';
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastSeq: number;
  readonly problems: readonly VerifyProblem[];
}

/** Recompute the whole chain and the head. Reads in pages so a long log does not fill memory. */
export async function verifyAuditLog(store: Store, key: Buffer, opts: { pageSize?: number; maxProblems?: number } = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 20_000;
  const maxProblems = opts.maxProblems ?? 100;
  const problems: VerifyProblem[] = [];
  const add = (p: VerifyProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let entries = 0;
  let after = 0;
  for (;;) {
    const rows = await store.query(`SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT ${pageSize}`, [after]);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      entries += 1;
      if (seq < expectedSeq) add({ seq, code: 'seq-duplicate', message: `entry ${seq} appears more than once` });
      else if (seq > expectedSeq) add({ seq, code: 'seq-gap', message: `entries ${expectedSeq}..${seq - 1} are missing (deleted)` });
      if (String(r.prev_hash) !== prev) add({ seq, code: 'prev-hash-mismatch', message: `entry ${seq} does not link to the entry before it` });
      const e: AuditEntryInput = {
        actor: String(r.actor), role: String(r.role), institutionId: String(r.institution_id), action: String(r.action) as AuditAction,
        resource: String(r.resource), resourceId: String(r.resource_id), outcome: String(r.outcome) as AuditEntryInput['outcome'],
      };
      const hash = chainHash(key, String(r.prev_hash), seq, String(r.logged_at), e, String(r.detail));
      if (hash !== String(r.hash)) add({ seq, code: 'hash-mismatch', message: `entry ${seq} was altered after it was written` });
      prev = String(r.hash);
      expectedSeq = seq + 1;
      after = seq;
    }
  }
  const lastSeq = expectedSeq - 1;
  const heads = await store.query(`SELECT seq, hash, mac FROM audit_log_head`);
  const head = heads[0];
  if (!head) {
    if (entries > 0) add({ seq: lastSeq, code: 'head-missing', message: 'the log head record was deleted' });
  } else {
    const hSeq = Number(head.seq);
    if (heads.length > 1 || headMac(key, hSeq, String(head.hash)) !== String(head.mac)) {
      add({ seq: hSeq, code: 'head-mac-invalid', message: 'the log head record was altered' });
    } else if (hSeq !== lastSeq || String(head.hash) !== prev) {
      add({
        seq: hSeq,
        code: 'head-mismatch',
        message: hSeq > lastSeq ? `entries ${lastSeq + 1}..${hSeq} are missing (the newest entries were deleted)` : `the log ends at ${lastSeq} but the head says ${hSeq}`,
      });
    }
  }
  return { ok: problems.length === 0, entries, lastSeq, problems };
}

/** Read entries (newest first) for the admin view. */
export async function listAuditEntries(store: Store, opts: { limit: number; beforeSeq?: number; actor?: string; resource?: string }): Promise<AuditEntry[]> {
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if (opts.beforeSeq !== undefined) conds.push(`seq < $${params.push(opts.beforeSeq)}`);
  if (opts.actor !== undefined) conds.push(`actor = $${params.push(opts.actor)}`);
  if (opts.resource !== undefined) conds.push(`resource = $${params.push(opts.resource)}`);
  const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const rows = await store.query(`SELECT * FROM audit_log${where} ORDER BY seq DESC LIMIT ${Math.max(1, Math.min(1000, Math.floor(opts.limit)))}`, params);
  return rows.map((r) => ({
    seq: Number(r.seq), at: String(r.logged_at), actor: String(r.actor), role: String(r.role), institutionId: String(r.institution_id),
    action: String(r.action) as AuditAction, resource: String(r.resource), resourceId: String(r.resource_id),
    outcome: String(r.outcome) as AuditEntryInput['outcome'], detail: JSON.parse(String(r.detail)) as AuditEntryInput['detail'],
    prevHash: String(r.prev_hash), hash: String(r.hash),
  }));
}
