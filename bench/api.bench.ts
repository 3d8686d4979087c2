/**
 * API benchmark: the pre-order check (POST /api/audit/check, 事前提醒) over real HTTP at a fixed,
 * open-loop rate (default 1,000 requests/s for 10 s after a 2 s warm-up), p50/p90/p99 printed.
 *
 * The server runs in a child process (one core) on a synthetic region imported into an in-memory
 * store, with authentication, validation and the tamper-evident audit log on (every check is
 * logged); this process generates load (the other core). Latency is taken from each request's
 * *scheduled* send time, so a server that falls behind shows it (no coordinated omission) — and so does
 * a load generator that falls behind, which is why the default client is a lean one: keep-alive TCP
 * connections (one request in flight on each, no pipelining) writing prebuilt requests and reading
 * the status line, the length and the body of each answer, ≈ 10× less CPU per request than
 * node:http's client (`API_BENCH_CLIENT=http` measures with that one instead). How late the client
 * actually sent is printed beside the latency. At the end the server verifies the audit-log chain.
 *
 *   npm run bench:api
 *   API_BENCH_RATE=2000 API_BENCH_SECONDS=20 npm run bench:api
 *   API_BENCH_CLIENT=http npm run bench:api
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

interface Ready {
  type: 'ready';
  port: number;
  token: string;
  orders: unknown[];
  region: { encounters: number; lines: number; catalog: number };
}

const RATE = Number(process.env.API_BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.API_BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.API_BENCH_WARMUP ?? 2);

async function serverMain(): Promise<void> {
  const { writeRegion } = await import('../src/synth/index.js');
  const { importRegion } = await import('../src/ingest/index.js');
  const { openMemoryStore } = await import('../src/store/index.js');
  const { createApp, makeServerConfig, appServices } = await import('../src/server/index.js');
  const { createUser, deriveKeys, verifyAuditLog } = await import('../src/security/index.js');
  const { serve } = await import('@hono/node-server');
  const { randomBytes } = await import('node:crypto');

  const dir = mkdtempSync(join(tmpdir(), 'medfund-api-bench-'));
  writeRegion(dir, { hospitals: 3, inpatients: 3000, outpatients: 6000, years: 1, seed: 7, badRowScale: 0 });
  const store = await openMemoryStore();
  const keys = deriveKeys(randomBytes(32), randomBytes(32));
  await importRegion(store, dir, { pseudonymKey: keys.pseudonymKey.toString('utf8') });
  rmSync(dir, { recursive: true, force: true });
  const [hospital] = await store.query(`SELECT id FROM institutions WHERE kind = 'hospital' ORDER BY id LIMIT 1`);
  const instId = String(hospital!.id);
  const config = makeServerConfig(keys, { webDist: join(dir, 'none') });
  const app = createApp({ store, config });
  const services = appServices(app);
  const doctor = await createUser(store, keys, { username: 'bench-doctor', password: 'bench-password', role: 'doctor', institutionId: instId, departmentId: '' }, new Date());
  const { token } = await services.sessions.create(doctor);

  // Orders drawn from the region's own inpatient stays: the patient, diagnoses, doctor, and one of
  // the stay's charges as the proposed order with up to five earlier charges of that day.
  const encs = await store.query(`SELECT * FROM encounters WHERE institution_id = $1 AND kind = 'inpatient' ORDER BY id LIMIT 300`, [instId]);
  const orders: unknown[] = [];
  for (const e of encs) {
    const lines = await store.query(`SELECT item_code, quantity, charged_at FROM settlement_lines WHERE encounter_id = $1 ORDER BY charged_at, id LIMIT 12`, [String(e.id)]);
    if (lines.length === 0) continue;
    const order = lines[lines.length - 1]!;
    orders.push({
      patient: { sex: e.sex, ageYears: Number(e.age_years) },
      encounter: {
        id: e.id, kind: 'inpatient', institutionId: instId, departmentId: e.department_id, doctorId: e.doctor_id,
        admitDate: e.admit_date, diagnoses: String(e.diagnoses).split('|'),
      },
      order: { itemCode: order.item_code, quantity: Number(order.quantity), at: String(order.charged_at).slice(0, 19) },
      earlier: lines.slice(Math.max(0, lines.length - 6), -1).map((l) => ({ itemCode: l.item_code, quantity: Number(l.quantity), at: String(l.charged_at).slice(0, 19) })),
    });
  }
  const [ne] = await store.query(`SELECT COUNT(*) AS n FROM encounters`);
  const [nl] = await store.query(`SELECT COUNT(*) AS n FROM settlement_lines`);
  const [nc] = await store.query(`SELECT COUNT(*) AS n FROM catalog_items`);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    const msg: Ready = { type: 'ready', port: info.port, token, orders, region: { encounters: Number(ne!.n), lines: Number(nl!.n), catalog: Number(nc!.n) } };
    process.send!(msg);
  });
  // Inside the server: from the request's arrival (its 'request' event) to the last byte of the
  // answer handed to the socket — the server's own part of the latency the client measures.
  const inServer: number[] = [];
  (server as unknown as http.Server).on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const t = performance.now();
    res.once('finish', () => gc.on && inServer.push(performance.now() - t));
  });
  // GC pauses stall the event loop like any other synchronous work: counted over the measured run.
  const { PerformanceObserver, monitorEventLoopDelay } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const gc = { n: 0, ms: 0, max: 0, on: false };
  new PerformanceObserver((list) => {
    if (!gc.on) return;
    for (const e of list.getEntries()) {
      gc.n += 1;
      gc.ms += e.duration;
      gc.max = Math.max(gc.max, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let cpu0 = process.cpuUsage();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'measure') {
      cpu0 = process.cpuUsage();
      gc.on = true;
      loopDelay.enable();
      return;
    }
    if (m.type !== 'finish') return;
    const cpu = process.cpuUsage(cpu0);
    gc.on = false;
    loopDelay.disable();
    inServer.sort((a, b) => a - b);
    const server_ = { p50: quantile(inServer, 0.5), p99: quantile(inServer, 0.99), max: inServer[inServer.length - 1] ?? NaN };
    const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    void (async () => {
      await services.audit.flush();
      const v = await verifyAuditLog(store, keys.auditKey);
      process.send!({ type: 'verified', ok: v.ok, entries: v.entries, cpuMs: (cpu.user + cpu.system) / 1000, gc, server: server_, loop });
      server.close();
      await store.close();
      process.exit(0);
    })();
  });
}

/** Sends one prebuilt request; calls back with the answer's HTTP status (0: the connection failed). */
type Send = (request: Buffer, done: (status: number) => void) => void;

/**
 * The lean client: keep-alive connections to 127.0.0.1:port, at most one request in flight on each
 * (a new connection when none is idle, up to `max`; beyond that requests wait for one). An answer is
 * complete when its headers and `content-length` bytes (or a chunked body's last chunk) are in.
 */
function rawClient(port: number, max = 256): { send: Send; close: () => void } {
  interface Conn {
    sock: net.Socket;
    buf: Buffer | undefined;
    done: ((status: number) => void) | undefined;
  }
  const idle: Conn[] = [];
  const all = new Set<Conn>();
  const waiting: [Buffer, (status: number) => void][] = [];
  const complete = (c: Conn): void => {
    const b = c.buf!;
    const end = b.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = b.toString('latin1', 0, end).toLowerCase();
    const len = /\r\ncontent-length: *(\d+)/.exec(head);
    const whole = len ? b.length >= end + 4 + Number(len[1]) : head.includes('transfer-encoding: chunked') && b.subarray(b.length - 5).toString('latin1') === '0\r\n\r\n';
    if (!whole) return;
    const status = Number(b.toString('latin1', 9, 12));
    const done = c.done!;
    c.buf = undefined;
    c.done = undefined;
    const next = waiting.shift();
    if (next) issue(c, next[0], next[1]);
    else idle.push(c);
    done(status);
  };
  const fail = (c: Conn): void => {
    all.delete(c);
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    const done = c.done;
    c.done = undefined;
    done?.(0);
  };
  const issue = (c: Conn, request: Buffer, done: (status: number) => void): void => {
    c.done = done;
    c.sock.write(request);
  };
  const connect = (): Conn => {
    const c: Conn = { sock: net.connect({ port, host: '127.0.0.1', noDelay: true }), buf: undefined, done: undefined };
    c.sock.on('data', (d: Buffer) => {
      c.buf = c.buf ? Buffer.concat([c.buf, d]) : d;
      complete(c);
    });
    c.sock.on('error', () => fail(c));
    c.sock.on('close', () => fail(c));
    all.add(c);
    return c;
  };
  return {
    send(request, done) {
      const c = idle.pop() ?? (all.size < max ? connect() : undefined);
      if (c) issue(c, request, done);
      else waiting.push([request, done]);
    },
    close() {
      for (const c of all) c.sock.destroy();
    },
  };
}

/** The same through node:http (API_BENCH_CLIENT=http): body and headers of the prebuilt request re-sent by its client. */
function nodeHttpClient(port: number, token: string): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return {
    send(request, done) {
      const body = request.subarray(request.indexOf('\r\n\r\n') + 4);
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/audit/check', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', () => done(0));
      req.end(body);
    },
    close: () => agent.destroy(),
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function loadMain(): Promise<void> {
  process.stdout.write(`bench:api — starting the server on a synthetic region (3 hospitals, 9,000 encounters)…\n`);
  const child: ChildProcess = fork(process.argv[1]!, [], { env: { ...process.env, MEDFUND_BENCH_ROLE: 'server' }, execArgv: ['--import', 'tsx', ...(process.env.API_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
  process.stdout.write(`server ready on 127.0.0.1:${ready.port}: ${ready.region.encounters} encounters, ${ready.region.lines} lines, ${ready.region.catalog} catalog items; ${ready.orders.length} distinct orders\n`);
  const requests = ready.orders.map((o) => {
    const body = Buffer.from(JSON.stringify(o));
    const head = `POST /api/audit/check HTTP/1.1\r\nHost: 127.0.0.1:${ready.port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${ready.token}\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
  const clientKind = process.env.API_BENCH_CLIENT === 'http' ? 'node:http' : 'lean TCP';
  const client = clientKind === 'node:http' ? nodeHttpClient(ready.port, ready.token) : rawClient(ready.port);

  const run = (seconds: number, record: boolean) =>
    new Promise<{ latencies: number[]; lateness: number[]; sent: number; ok: number; errors: number; statuses: Map<number, number>; elapsed: number }>((resolve) => {
      const total = Math.round(seconds * RATE);
      const latencies: number[] = [];
      const lateness: number[] = []; // how long after its scheduled time each request was handed to the socket
      const statuses = new Map<number, number>();
      let sent = 0, done = 0, ok = 0, errors = 0;
      const start = performance.now();
      const finish = () => resolve({ latencies, lateness, sent, ok, errors, statuses, elapsed: (performance.now() - start) / 1000 });
      const fire = (i: number) => {
        const scheduled = start + (i * 1000) / RATE;
        if (record) lateness.push(performance.now() - scheduled);
        client.send(requests[i % requests.length]!, (status) => {
          if (record) latencies.push(performance.now() - scheduled);
          if (status === 0) errors++;
          else statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) ok++;
          if (++done === total) finish();
        });
      };
      // open loop: every millisecond tick sends whatever is due, whether or not earlier answers came back
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
        while (sent < due) fire(sent++);
        if (sent < total) setTimeout(tick, 1);
      };
      tick();
    });

  await run(WARMUP_SECONDS, false);
  child.send({ type: 'measure' });
  const r = await run(SECONDS, true);
  const sorted = r.latencies.sort((a, b) => a - b);
  const achieved = r.ok / r.elapsed;
  const codes = [...r.statuses.entries()].map(([c, n]) => `${c}×${n}`).join(' ');
  process.stdout.write(`\npre-order check POST /api/audit/check — target ${RATE} req/s for ${SECONDS} s (open loop, HTTP keep-alive, ${clientKind} client)\n`);
  process.stdout.write(`  requests ${r.sent}, ok ${r.ok}, errors ${r.errors}, statuses ${codes}\n`);
  process.stdout.write(`  achieved ${achieved.toFixed(0)} req/s\n`);
  process.stdout.write(`  latency p50 ${quantile(sorted, 0.5).toFixed(2)} ms · p90 ${quantile(sorted, 0.9).toFixed(2)} ms · p99 ${quantile(sorted, 0.99).toFixed(2)} ms · max ${sorted[sorted.length - 1]!.toFixed(2)} ms\n`);
  const late = r.lateness.sort((a, b) => a - b);
  process.stdout.write(`  (of which the client's own lateness in sending: p50 ${quantile(late, 0.5).toFixed(2)} ms · p99 ${quantile(late, 0.99).toFixed(2)} ms · max ${late[late.length - 1]!.toFixed(2)} ms)\n`);
  child.send({ type: 'finish' });
  type Q = { p50: number; p99: number; max: number };
  type Verified = { ok: boolean; entries: number; cpuMs: number; gc: { n: number; ms: number; max: number }; server: Q; loop: Q };
  const v = await new Promise<Verified>((resolve) => child.once('message', (m) => resolve(m as Verified)));
  // CPU time of the server process (main thread, DuckDB and libuv threads) per answered request:
  // the capacity figure that survives a busy machine, where wall-clock latency does not.
  process.stdout.write(`  server CPU ${(v.cpuMs / Math.max(1, r.ok)).toFixed(3)} ms per request (${(1000 / (v.cpuMs / Math.max(1, r.ok))).toFixed(0)} req/s per fully available core)\n`);
  process.stdout.write(`  server GC pauses: ${v.gc.n}, ${v.gc.ms.toFixed(0)} ms in all, longest ${v.gc.max.toFixed(1)} ms\n`);
  process.stdout.write(`  inside the server (request event → answer written): p50 ${v.server.p50.toFixed(2)} ms · p99 ${v.server.p99.toFixed(2)} ms · max ${v.server.max.toFixed(2)} ms; its event-loop delay p50 ${v.loop.p50.toFixed(2)} · p99 ${v.loop.p99.toFixed(2)} · max ${v.loop.max.toFixed(2)} ms\n`);
  process.stdout.write(`  machine load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores\n`);
  process.stdout.write(`  audit log after the run: ${v.entries} entries, chain ${v.ok ? 'intact' : 'BROKEN'}\n`);
  client.close();
}

if (process.env.MEDFUND_BENCH_ROLE === 'server') await serverMain();
else await loadMain();
