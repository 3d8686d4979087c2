/**
 * DRG grouping throughput: `npm run bench:drg [-- --cases N --workers W]`.
 * Generates N seeded cases per scheme (default 1,000,000) from the scheme's own code lists, groups
 * them single-threaded (with the full trace, as `group` returns it) and then with W worker threads
 * (default: available cores), and prints cases per second. Generation is not timed.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { group } from '../src/drg/group.js';
import { loadScheme, readSchemeTables } from '../src/drg/loader.js';
import { codePools, generateCases } from '../src/drg/synthetic.js';

const SEED = 20261123;

interface Job {
  scheme: string;
  count: number;
  offset: number;
}

/**
 * Worker bootstrap that can load TypeScript. `execArgv: ['--import', 'tsx']` fails on Node 20.20
 * (the .ts entry is resolved before tsx's async hooks are registered: ERR_UNKNOWN_FILE_EXTENSION),
 * so the worker registers tsx itself and then imports the module.
 */
const TS_WORKER = (url: string) =>
  `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (!isMainThread) {
  const job = workerData as Job;
  const scheme = loadScheme(job.scheme, { names: false });
  const cases = generateCases(codePools(readSchemeTables(job.scheme, { names: false })), job.count, SEED, job.offset);
  parentPort!.postMessage({ ready: true });
  parentPort!.once('message', () => {
    let success = 0;
    for (const c of cases) if (group(c, scheme).status === 'SUCCESS') success++;
    parentPort!.postMessage({ done: true, success });
  });
} else {
  const total = arg('cases', 1_000_000);
  const workers = arg('workers', availableParallelism());
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`DRG grouping benchmark — ${fmt(total)} generated cases per scheme, Node ${process.version}, ${availableParallelism()} cores`);
  for (const name of ['chs-drg-1.1', 'chs-drg-2.0']) {
    const scheme = loadScheme(name, { names: false });
    const cases = generateCases(codePools(readSchemeTables(name, { names: false })), total, SEED, 0);
    // warm-up on a slice so the JIT has seen the hot path
    for (let i = 0; i < Math.min(50_000, total); i++) group(cases[i]!, scheme);
    const counts: Record<string, number> = {};
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const c of cases) {
      const r = group(c, scheme);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    // CPU time too: on a shared machine wall time includes time the thread was not scheduled
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    console.log(
      `${name}: single thread ${fmt(total / secs)} cases/s wall (${fmt(total)} in ${secs.toFixed(2)} s; ${fmt(total / cpuSecs)} cases per CPU-second) statuses ${JSON.stringify(counts)}`,
    );
    cases.length = 0;

    // worker threads: each generates its own slice, then all start together on a signal
    const per = Math.ceil(total / workers);
    const pool = Array.from({ length: workers }, (_, w) => {
      const count = Math.max(0, Math.min(per, total - w * per));
      return new Worker(TS_WORKER(import.meta.url), { eval: true, workerData: { scheme: name, count, offset: w * per } satisfies Job });
    });
    await Promise.all(pool.map((w) => new Promise((res, rej) => { w.once('message', res); w.once('error', rej); })));
    const t1 = process.hrtime.bigint();
    const done = pool.map((w) => new Promise<{ success: number }>((res, rej) => { w.once('message', res); w.once('error', rej); }));
    for (const w of pool) w.postMessage('go');
    const results = await Promise.all(done);
    const secs2 = Number(process.hrtime.bigint() - t1) / 1e9;
    await Promise.all(pool.map((w) => w.terminate()));
    const success = results.reduce((a, r) => a + r.success, 0);
    console.log(`${name}: ${workers} worker threads ${fmt(total / secs2)} cases/s (${fmt(total)} in ${secs2.toFixed(2)} s, ${fmt(success)} SUCCESS)`);
  }
}
