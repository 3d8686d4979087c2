/**
 * Synthetic-generator throughput: writes a region of 500,000 encounters (50,000 inpatient stays,
 * 450,000 outpatient/online visits, 3 hospitals, 3 years) to a temporary directory and prints the
 * measured time and rates. Target (issue #5): 500k encounters in under 2 minutes.
 *   node --import tsx bench/synth.bench.ts [inpatients] [outpatients]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRegion } from '../src/synth/index.js';

const inpatients = Number(process.argv[2] ?? 50_000);
const outpatients = Number(process.argv[3] ?? 450_000);
const dir = mkdtempSync(join(tmpdir(), 'medfund-synth-bench-'));
try {
  const t0 = performance.now();
  const r = writeRegion(dir, { hospitals: 3, inpatients, outpatients, years: 3, seed: 1 });
  const s = (performance.now() - t0) / 1000;
  const enc = r.counts['encounters.csv']!;
  const lines = r.counts['settlement-lines.csv']!;
  const mb = statSync(join(dir, 'settlement-lines.csv')).size / 2 ** 20;
  process.stdout.write(
    `synth: ${enc.toLocaleString('en')} encounters, ${lines.toLocaleString('en')} settlement lines (${mb.toFixed(0)} MiB) in ${s.toFixed(1)} s — ` +
      `${Math.round(enc / s).toLocaleString('en')} encounters/s, ${Math.round(lines / s).toLocaleString('en')} lines/s; ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; doctor-density overflows ${r.densityOverflows}; target 500k encounters < 120 s: ${s < 120 ? 'met' : 'NOT met'}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
