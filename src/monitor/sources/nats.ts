/**
 * NATS JetStream source and publisher. Lines travel as JSON objects (domain field names) on a subject
 * of a JetStream stream; the publisher sets `Nats-Msg-Id` = line id, so re-publishing a file within
 * the stream's duplicate window stores nothing twice.
 *
 * The monitor reads through a durable pull consumer with explicit acks; the position is the stream
 * sequence. The store checkpoint is the source of truth: on start the durable is re-created to start
 * right after the checkpoint — otherwise JetStream could deliver newer messages first (unacked ones
 * only after `ack_wait`, out of order) or feed the dead process's outstanding pull requests.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AckPolicy, DeliverPolicy, connect, headers, nanos } from 'nats';
import type { JetStreamManager, JsMsg, NatsConnection } from 'nats';
import type { LineSource, SourceRecord } from '../types.js';
import { LINE_COLUMNS, headerIndex, parseJsonLine, splitCsvRow, type ItemCodeResolver } from '../parse.js';

export const DEFAULT_NATS_URL = '127.0.0.1:4222';
export const DEFAULT_STREAM = 'MEDFUND_LINES';
export const DEFAULT_SUBJECT = 'medfund.lines';
export const DEFAULT_DURABLE = 'medfund-monitor';
const PUBLISHED_AT = 'Medfund-Published-At';

export async function connectNats(servers: string): Promise<NatsConnection> {
  try {
    return await connect({ servers, timeout: 3000, name: 'medfund' });
  } catch (e) {
    throw new Error(`NATS unreachable at ${servers}: ${(e as Error).message}`, { cause: e });
  }
}

/** Create the stream if missing; add the subject when the stream exists without it. */
export async function ensureStream(jsm: JetStreamManager, stream: string, subject: string): Promise<void> {
  try {
    const info = await jsm.streams.info(stream);
    const subjects = info.config.subjects ?? [];
    if (!subjects.includes(subject)) await jsm.streams.update(stream, { ...info.config, subjects: [...subjects, subject] });
  } catch (e) {
    if (!/stream not found/i.test((e as Error).message)) throw e;
    await jsm.streams.add({ name: stream, subjects: [subject], duplicate_window: nanos(120_000) });
  }
}

export interface NatsSourceOptions {
  readonly servers?: string;
  readonly stream?: string;
  readonly subject?: string;
  readonly durable?: string;
  /** messages per fetch (default 500) */
  readonly batch?: number;
  /** stop after this long without messages; undefined = follow forever */
  readonly idleExitMs?: number;
  readonly resolveItemCode?: ItemCodeResolver;
}

export function createNatsSource(opts: NatsSourceOptions = {}): LineSource {
  const servers = opts.servers ?? DEFAULT_NATS_URL;
  const stream = opts.stream ?? DEFAULT_STREAM;
  const subject = opts.subject ?? DEFAULT_SUBJECT;
  const durable = opts.durable ?? DEFAULT_DURABLE;
  const batch = opts.batch ?? 500;
  let nc: NatsConnection | undefined;
  const inFlight = new Map<string, JsMsg>();

  return {
    name: 'nats',
    description: `nats://${servers} stream ${stream} subject ${subject} durable ${durable}`,
    compare: (a, b) => Number(a) - Number(b),
    async *read(from, signal) {
      nc = await connectNats(servers);
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, stream, subject);
      const checkpointSeq = from === null ? 0 : Number(from);
      // Always re-create: even a durable whose ack floor equals the checkpoint can still hold the dead
      // process's outstanding pull requests, and JetStream would hand new messages to those until they
      // expire — the restarted monitor would sit idle (seen on a quiet machine, where the killed
      // process had acknowledged everything). The checkpoint alone says where to resume.
      await jsm.consumers.delete(stream, durable).catch((e: Error) => {
        if (!/consumer not found/i.test(e.message)) throw e;
      });
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: subject,
        ...(checkpointSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: checkpointSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
        ack_wait: nanos(60_000),
        max_ack_pending: Math.max(batch * 4, 1000),
      });
      const consumer = await nc.jetstream().consumers.get(stream, durable);
      // consume() streams messages as they arrive (fetch() would hold a partial batch until it
      // expires, ≥ 1 s); a pump moves them into a queue that is drained in batches of whatever has
      // arrived, so a lone line is evaluated at once and bursts are committed together.
      const messages = await consumer.consume({ max_messages: batch * 2 });
      const queue: JsMsg[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      const pump = (async () => {
        for await (const m of messages) {
          queue.push(m);
          wake?.();
        }
      })().finally(() => {
        ended = true;
        wake?.();
      });
      const onAbort = (): void => wake?.();
      signal.addEventListener('abort', onAbort);
      let idleSince = Date.now();
      try {
        while (!signal.aborted && !(ended && queue.length === 0)) {
          if (queue.length === 0) {
            if (opts.idleExitMs !== undefined && Date.now() - idleSince > opts.idleExitMs) return;
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 100);
            });
            wake = undefined;
            if (queue.length === 0) yield []; // idle heartbeat: lets the monitor checkpoint (and ack) on time
            continue;
          }
          const now = Date.now();
          const recs: SourceRecord[] = queue.splice(0, batch).map((m) => {
            const position = String(m.seq);
            inFlight.set(position, m);
            const text = m.string();
            const published = m.headers?.get(PUBLISHED_AT);
            const r = parseJsonLine(text, opts.resolveItemCode);
            return r.ok
              ? { kind: 'line', position, line: r.line, receivedAtMs: now, ...(published ? { publishedAtMs: Number(published) } : {}) }
              : { kind: 'reject', position, raw: text, reason: r.reason, receivedAtMs: now };
          });
          idleSince = Date.now();
          yield recs;
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        await messages.close().catch(() => undefined);
        await pump.catch(() => undefined);
      }
    },
    async ack(records) {
      for (const r of records) {
        const m = inFlight.get(r.position);
        if (m) {
          m.ack();
          inFlight.delete(r.position);
        }
      }
      await nc?.flush();
    },
    async close() {
      if (nc && !nc.isClosed()) await nc.drain();
      nc = undefined;
      inFlight.clear();
    },
  };
}

export interface PublishOptions {
  readonly servers?: string;
  readonly stream?: string;
  readonly subject?: string;
  /** settlement-lines.csv (region column order, header first) or a JSONL file */
  readonly file: string;
  /** lines per second (default: as fast as the server acknowledges) */
  readonly rate?: number;
  /** publish at most this many lines */
  readonly limit?: number;
  readonly onProgress?: (published: number) => void;
}

/**
 * Publish a region's settlement lines to a JetStream subject, one JSON message per line, awaiting
 * every PubAck (pipelined). Returns the number published and how many the stream de-duplicated.
 */
export async function publishLinesFile(opts: PublishOptions): Promise<{ published: number; duplicates: number; firstSeq: number; lastSeq: number }> {
  const servers = opts.servers ?? DEFAULT_NATS_URL;
  const stream = opts.stream ?? DEFAULT_STREAM;
  const subject = opts.subject ?? DEFAULT_SUBJECT;
  const nc = await connectNats(servers);
  try {
    await ensureStream(await nc.jetstreamManager(), stream, subject);
    const js = nc.jetstream();
    const jsonl = /\.(jsonl|ndjson)$/i.test(opts.file);
    const rl = createInterface({ input: createReadStream(opts.file, 'utf8'), crlfDelay: Infinity });
    let idx: Map<string, number> | undefined;
    let published = 0;
    let duplicates = 0;
    let firstSeq = 0;
    let lastSeq = 0;
    const pending: Promise<void>[] = [];
    const started = Date.now();
    let lineNo = 0;
    for await (const raw of rl) {
      lineNo++;
      if (raw.trim() === '') continue;
      let payload: string;
      let id: string;
      if (jsonl) {
        payload = raw;
        id = String((JSON.parse(raw) as { id?: unknown }).id ?? `line-${lineNo}`);
      } else {
        if (!idx) {
          idx = headerIndex(splitCsvRow(raw));
          continue;
        }
        const f = splitCsvRow(raw);
        const obj: Record<string, unknown> = {};
        for (const c of LINE_COLUMNS) {
          const v = f[idx.get(c)!] ?? '';
          // numbers travel as numbers when they parse; anything else is passed on for the monitor to reject with a reason
          obj[c] = (c === 'quantity' || c === 'unitPriceFen' || c === 'amountFen') && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
        }
        payload = JSON.stringify(obj);
        id = String(obj.id || `line-${lineNo}`);
      }
      const h = headers();
      h.set(PUBLISHED_AT, String(Date.now()));
      pending.push(
        js.publish(subject, payload, { msgID: id, headers: h }).then((ack) => {
          if (ack.duplicate) duplicates++;
          if (!firstSeq || ack.seq < firstSeq) firstSeq = ack.seq;
          if (ack.seq > lastSeq) lastSeq = ack.seq;
        }),
      );
      published++;
      if (pending.length >= 256) {
        await Promise.all(pending.splice(0));
        opts.onProgress?.(published);
      }
      if (opts.rate) {
        const due = started + (published / opts.rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) {
          await Promise.all(pending.splice(0));
          await new Promise((r) => setTimeout(r, wait));
        }
      }
      if (opts.limit !== undefined && published >= opts.limit) break;
    }
    await Promise.all(pending);
    opts.onProgress?.(published);
    return { published, duplicates, firstSeq, lastSeq };
  } finally {
    await nc.drain();
  }
}
