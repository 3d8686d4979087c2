/**
 * File-tail source: follows a growing settlement-lines file (CSV with the region header, or JSONL with
 * one JSON object per line) the way `tail -f` does. The position is the byte offset just after the
 * last complete line consumed, so a restart resumes at exactly the next line; a partial last line
 * (a writer mid-append) is left for the next poll.
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { LineSource, SourceRecord } from '../types.js';
import { headerIndex, parseCsvLine, parseJsonLine, splitCsvRow, type ItemCodeResolver } from '../parse.js';

export interface FileSourceOptions {
  readonly path: string;
  /** csv (default by extension) or jsonl */
  readonly format?: 'csv' | 'jsonl';
  /** poll interval while idle (default 50 ms) */
  readonly pollMs?: number;
  /** stop after this long without new complete lines; undefined = follow forever */
  readonly idleExitMs?: number;
  /** largest batch handed to the monitor (default 2000 lines) */
  readonly maxBatch?: number;
  readonly resolveItemCode?: ItemCodeResolver;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export function createFileSource(opts: FileSourceOptions): LineSource {
  const format = opts.format ?? (/\.(jsonl|ndjson)$/i.test(opts.path) ? 'jsonl' : 'csv');
  const pollMs = opts.pollMs ?? 50;
  const maxBatch = opts.maxBatch ?? 2000;
  const CHUNK = 1 << 20;
  let fh: FileHandle | undefined;

  async function waitForFile(signal: AbortSignal, idleSince: number): Promise<FileHandle | undefined> {
    for (;;) {
      try {
        return await open(opts.path, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      if (signal.aborted || (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs)) return undefined;
      await sleep(pollMs, signal);
    }
  }

  return {
    name: 'file',
    description: `${opts.path} (${format})`,
    compare: (a, b) => Number(a) - Number(b),
    async *read(from, signal) {
      let idleSince = Date.now();
      fh = await waitForFile(signal, idleSince);
      if (!fh) return;
      let offset = 0;
      let idx: Map<string, number> | undefined;
      const buf = Buffer.allocUnsafe(CHUNK);
      let carry = Buffer.alloc(0);
      // CSV: the header must be complete before any row can be read
      while (format === 'csv' && !idx) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, 0);
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl >= 0) {
          idx = headerIndex(splitCsvRow(buf.subarray(0, nl).toString('utf8').replace(/\r$/, '')));
          offset = nl + 1;
          break;
        }
        if (signal.aborted || (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs)) return;
        await sleep(pollMs, signal);
      }
      if (from !== null) {
        const at = Number(from);
        if (!Number.isSafeInteger(at) || at < offset) throw new Error(`file source: checkpoint position "${from}" is not a line boundary of ${opts.path}`);
        offset = at;
      }
      while (!signal.aborted) {
        const size = (await stat(opts.path)).size;
        if (size < offset + carry.length) {
          throw new Error(`file source: ${opts.path} shrank to ${size} bytes below the consumed position ${offset} (truncated or replaced)`);
        }
        if (size === offset + carry.length) {
          if (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs) return;
          await sleep(pollMs, signal);
          yield []; // idle heartbeat: lets the monitor checkpoint on time
          continue;
        }
        const want = Math.min(CHUNK, size - offset - carry.length);
        const { bytesRead } = await fh.read(buf, 0, want, offset + carry.length);
        const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
        let start = 0;
        let batch: SourceRecord[] = [];
        const now = Date.now();
        for (;;) {
          const nl = data.indexOf(10, start);
          if (nl < 0) break;
          const text = data.subarray(start, nl).toString('utf8').replace(/\r$/, '');
          const position = String(offset + nl + 1);
          if (text.trim() !== '') {
            const r = format === 'jsonl' ? parseJsonLine(text, opts.resolveItemCode) : parseCsvLine(splitCsvRow(text), idx!, opts.resolveItemCode);
            batch.push(r.ok ? { kind: 'line', position, line: r.line, receivedAtMs: now } : { kind: 'reject', position, raw: text, reason: r.reason, receivedAtMs: now });
          }
          start = nl + 1;
          if (batch.length >= maxBatch) {
            yield batch;
            batch = [];
          }
        }
        offset += start;
        carry = data.subarray(start);
        if (batch.length) {
          idleSince = Date.now();
          yield batch;
        } else if (start === 0) {
          // only a partial line so far: wait for the writer to finish it
          if (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs) return;
          await sleep(pollMs, signal);
        }
      }
    },
    async ack() {
      // nothing to acknowledge: the checkpoint in the store is the file's read position
    },
    async close() {
      await fh?.close();
      fh = undefined;
    },
  };
}
