/**
 * bench:ingest — settlement lines per second into the embedded store (DuckDB file), end to end:
 * read + decode + parse + validate + stage + bulk load + dedupe + commit. Runs on growing files
 * (1M, 2.5M, 5M lines by default) and prints the peak RSS of each run, to show memory stays flat
 * while the file grows. Each size runs in a fresh process (the same script, BENCH_INGEST_ONE=n), so
 * no run's RSS carries what an earlier one left in the heap or the allocator. `BENCH_INGEST_SIZES=200000,500000` overrides the sizes; `MEDFUND_INGEST_ENGINE=js`
 * measures the record-by-record path instead of the DuckDB-native one. CPU seconds (process.cpuUsage:
 * every thread, DuckDB's included) are printed beside wall seconds, since on a shared machine the wall
 * clock says more about the neighbours than about the importer; the load average is printed too.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGION_FILES } from '../src/domain/index.js';
import { importFile, importRegion } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { writeMiniRegion } from '../src/testing/mini-region.js';

const one = process.env.BENCH_INGEST_ONE;
const sizes = (one ?? process.env.BENCH_INGEST_SIZES ?? '1000000,2500000,5000000').split(',').map(Number);
const ITEMS = [
  ['001102000050000', '住院诊查费', 'service', 'A', 2000],
  ['XJ01CAA040A001010101234', '阿莫西林胶囊', 'drug', 'A', 80],
  ['C0001', '一次性吻合器', 'consumable', 'B', 250000],
] as const;

async function writeLines(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(REGION_FILES.settlementLines.columns.join(',') + '\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const [code, name, cat, cls, price] = ITEMS[i % 3]!;
    const qty = (i % 7) + 1;
    const enc = i % 2 === 0 ? ['E1', 'H1', 'H1-DR1', 'H1-D01', '2025-03-02'] : ['E2', 'H2', 'H2-DR1', 'H2-D01', '2025-04-10'];
    buf += `B${i},${enc[0]},${enc[1]},,${code},${name},${cat},${cls},${qty},${price},${qty * price},${enc[2]},${enc[3]},${enc[4]}T${String(8 + (i % 10)).padStart(2, '0')}:00:00\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

if (one === undefined && sizes.length > 1) {
  console.log(`bench:ingest — settlement lines into the embedded DuckDB store (engine ${process.env.MEDFUND_INGEST_ENGINE === 'js' ? 'js' : 'auto'}), one process per size`);
  for (const n of sizes)
    execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], { env: { ...process.env, BENCH_INGEST_ONE: String(n) }, stdio: 'inherit' });
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'medfund-bench-ingest-'));
try {
  writeMiniRegion(join(dir, 'region'));
  if (one === undefined) console.log(`bench:ingest — settlement lines into the embedded DuckDB store (engine ${process.env.MEDFUND_INGEST_ENGINE === 'js' ? 'js' : 'auto'})`);
  for (const n of sizes) {
    const file = join(dir, `lines-${n}.csv`);
    await writeLines(file, n);
    const dbPath = join(dir, `bench-${n}.duckdb`);
    const store = await openStore({ db: dbPath });
    await importRegion(store, join(dir, 'region'), { pseudonymKey: 'bench' });
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const load0 = loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await importFile(store, file, { pseudonymKey: 'bench', kind: 'settlementLines' });
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    await store.close();
    const mb = (statSync(file).size / 1e6).toFixed(0);
    console.log(
      `  ${n.toLocaleString('en-US').padStart(10)} lines (${mb} MB): ${secs.toFixed(2)} s wall → ${Math.round(r.rowsRead / secs).toLocaleString('en-US')} lines/s` +
        ` · ${cpuSecs.toFixed(2)} CPU-s → ${Math.round(r.rowsRead / cpuSecs).toLocaleString('en-US')} lines/CPU-s` +
        ` · stored ${r.rowsStored.toLocaleString('en-US')}${r.native ? ` (native, ${r.native.suspectRows} rows to kinds.ts)` : ' (js path)'}` +
        ` · peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB · JS heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB · load ${load0.toFixed(1)}→${loadavg()[0]!.toFixed(1)}`,
    );
    rmSync(file);
    rmSync(dbPath, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
