/**
 * bench:ingest — settlement lines per second into the embedded store (DuckDB file), end to end:
 * read + decode + parse + validate + stage + bulk load + dedupe + commit, on growing files (1M, 2.5M,
 * 5M lines by default), with the peak RSS of each run to show memory stays flat while the file grows.
 *
 * The lines are a realistic region's (BENCH_INGEST_DATA=region, the default): `medfund synth` writes a
 * region sized for the line count (3 hospitals, one inpatient per ten outpatients, one year, its usual
 * share of bad rows), the other files are imported untimed, and the settlement-line file is timed —
 * so every line joins a real encounter, doctor, department and catalogue among hundreds of thousands.
 * BENCH_INGEST_DATA=uniform times the earlier file instead: the same three items on two encounters,
 * whose reference tables are tiny (it hid a join plan that failed on real regions: docs/architecture.md).
 *
 * Each size runs in a fresh process (the same script, BENCH_INGEST_ONE=n), so no run's RSS carries what
 * an earlier one left. `BENCH_INGEST_SIZES=200000,500000` overrides the sizes; `MEDFUND_INGEST_ENGINE=js`
 * measures the record-by-record path instead of the DuckDB-native one. CPU seconds (process.cpuUsage:
 * every thread, DuckDB's included) are printed beside wall seconds, and the load average.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REGION_FILES } from '../src/domain/index.js';
import type { RegionFileKind } from '../src/domain/index.js';
import { importFile, importRegion } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { writeRegion } from '../src/synth/index.js';
import { writeMiniRegion } from '../src/testing/mini-region.js';

const one = process.env.BENCH_INGEST_ONE;
const sizes = (one ?? process.env.BENCH_INGEST_SIZES ?? '1000000,2500000,5000000').split(',').map(Number);
const data = process.env.BENCH_INGEST_DATA === 'uniform' ? 'uniform' : 'region';
/** Settlement lines per inpatient + ten outpatients in the generator's regions (measured: 5,524,611 lines for 50,000 + 450,000). */
const LINES_PER_INPATIENT_GROUP = 110.5;
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

const engine = process.env.MEDFUND_INGEST_ENGINE === 'js' ? 'js' : 'auto';

/** Writes a region sized for `n` lines and imports all but its settlement lines into the store at dbPath. */
async function setUpRegion(region: string, dbPath: string, n: number): Promise<number> {
  const inpatients = Math.max(1, Math.round(n / LINES_PER_INPATIENT_GROUP));
  const w = writeRegion(region, { hospitals: 3, inpatients, outpatients: inpatients * 9, years: 1, seed: 1 });
  const store = await openStore({ db: dbPath });
  for (const [kind, f] of Object.entries(REGION_FILES) as [RegionFileKind, { file: string }][])
    if (kind !== 'settlementLines' && kind !== 'departmentCosts') await importFile(store, join(region, f.file), { pseudonymKey: 'bench', kind });
  await store.close();
  return w.counts['encounters.csv'] ?? 0;
}
// The set-up runs in a process of its own (BENCH_INGEST_SETUP), so the timed one starts with none of its memory.
if (process.env.BENCH_INGEST_SETUP) {
  const { region, dbPath, n } = JSON.parse(process.env.BENCH_INGEST_SETUP) as { region: string; dbPath: string; n: number };
  process.stdout.write(String(await setUpRegion(region, dbPath, n)));
  process.exit(0);
}
if (one === undefined && sizes.length > 1) {
  console.log(`bench:ingest — settlement lines into the embedded DuckDB store (${data === 'region' ? 'a synthetic region\'s lines' : 'uniform lines'}, engine ${engine}), one process per size`);
  for (const n of sizes)
    execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], { env: { ...process.env, BENCH_INGEST_ONE: String(n) }, stdio: 'inherit' });
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'medfund-bench-ingest-'));
try {
  if (one === undefined) console.log(`bench:ingest — settlement lines into the embedded DuckDB store (${data === 'region' ? 'a synthetic region\'s lines' : 'uniform lines'}, engine ${engine})`);
  for (const n of sizes) {
    const dbPath = join(dir, `bench-${n}.duckdb`);
    let file = join(dir, `lines-${n}.csv`);
    let about = '';
    if (data === 'region') {
      const region = join(dir, `region-${n}`);
      const encounters = Number(execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], { env: { ...process.env, BENCH_INGEST_SETUP: JSON.stringify({ region, dbPath, n }) } }));
      file = join(region, REGION_FILES.settlementLines.file);
      about = ` · region of ${encounters.toLocaleString('en-US')} encounters`;
    }
    const store = await openStore({ db: dbPath });
    if (data === 'uniform') {
      writeMiniRegion(join(dir, 'region'));
      await importRegion(store, join(dir, 'region'), { pseudonymKey: 'bench' });
      await writeLines(file, n);
    }
    (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: what the untimed set-up left is collected first
    const rss0 = process.memoryUsage().rss;
    let peakRss = rss0;
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
      `  ${r.rowsRead.toLocaleString('en-US').padStart(10)} lines (${mb} MB${about}): ${secs.toFixed(2)} s wall → ${Math.round(r.rowsRead / secs).toLocaleString('en-US')} lines/s` +
        ` · ${cpuSecs.toFixed(2)} CPU-s → ${Math.round(r.rowsRead / cpuSecs).toLocaleString('en-US')} lines/CPU-s` +
        ` · stored ${r.rowsStored.toLocaleString('en-US')}, quarantined ${r.rowsQuarantined.toLocaleString('en-US')}${r.native ? ` (native, ${r.native.suspectRows} rows to kinds.ts)` : ' (js path)'}` +
        ` · peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (${(rss0 / 2 ** 20).toFixed(0)} before) · JS heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB · load ${load0.toFixed(1)}→${loadavg()[0]!.toFixed(1)}`,
    );
    rmSync(data === 'region' ? dirname(file) : file, { recursive: true, force: true });
    rmSync(dbPath, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
