/**
 * Streams a generated region into a directory: the CSV files of REGION_FILES, labels.jsonl,
 * bad-rows.jsonl and manifest.json. Rows are encoded into a 4 MiB buffer per file and flushed with
 * synchronous writes, so memory stays flat however large the region (the generator is synchronous).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS_FILE, REGION_FILES, type RegionFileKind } from '../domain/index.js';
import { csvHeader, toCsv } from './csv.js';
import { generateRegionInto, type GenerationSummary, type RegionSink, type SynthOptions } from './generate.js';
import { loadSynthSeed, type SynthSeed } from './seed.js';

export const BAD_ROWS_FILE = 'bad-rows.jsonl';
export const MANIFEST_FILE = 'manifest.json';

class BufferedFile {
  private fd: number;
  // Rows are encoded straight into one reusable buffer: no string survives a row, which keeps the
  // garbage collector out of the hot path (joining buffered strings cost ~40 % of the run in GC).
  private buf = Buffer.allocUnsafe(4 << 20);
  private used = 0;
  constructor(path: string, header = '') {
    this.fd = openSync(path, 'w');
    if (header) this.write(header);
  }
  write(s: string): void {
    if (this.used + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        writeSync(this.fd, s);
        return;
      }
    }
    this.used += this.buf.write(s, this.used);
  }
  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface WriteRegionResult extends GenerationSummary {
  outDir: string;
  files: string[];
}

/** Generate a region into `outDir` (created if missing). `onProgress(encountersWritten)` is called every 10,000 encounters. */
export function writeRegion(outDir: string, options: SynthOptions, onProgress?: (encounters: number) => void, seed: SynthSeed = loadSynthSeed()): WriteRegionResult {
  mkdirSync(outDir, { recursive: true });
  const files = {} as Record<RegionFileKind, BufferedFile>;
  for (const kind of Object.keys(REGION_FILES) as RegionFileKind[]) files[kind] = new BufferedFile(join(outDir, REGION_FILES[kind].file), csvHeader(kind));
  const labels = new BufferedFile(join(outDir, LABELS_FILE));
  const bad = new BufferedFile(join(outDir, BAD_ROWS_FILE));
  let encounters = 0;
  const sink: RegionSink = {
    institution: (r) => files.institutions.write(toCsv.institutions(r)),
    department: (r) => files.departments.write(toCsv.departments(r)),
    practitioner: (r) => files.practitioners.write(toCsv.practitioners(r)),
    catalogItem: (r) => files.catalog.write(toCsv.catalog(r)),
    codeMapping: (r) => files.codeMap.write(toCsv.codeMap(r)),
    encounter: (r) => {
      files.encounters.write(toCsv.encounters(r));
      if (onProgress && ++encounters % 10_000 === 0) onProgress(encounters);
    },
    line: (r) => files.settlementLines.write(toCsv.settlementLines(r)),
    departmentCost: (r) => files.departmentCosts.write(toCsv.departmentCosts(r)),
    person: (r) => files.persons.write(toCsv.persons(r)),
    label: (l) => labels.write(`${JSON.stringify(l)}\n`),
    badRow: (b) => bad.write(`${JSON.stringify(b)}\n`),
  };
  let summary: GenerationSummary;
  try {
    summary = generateRegionInto(seed, options, sink);
  } finally {
    for (const f of Object.values(files)) f.close();
    labels.close();
    bad.close();
  }
  const written = [...Object.values(REGION_FILES).map((f) => f.file), LABELS_FILE, BAD_ROWS_FILE, MANIFEST_FILE];
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify({ ...summary, files: written }, null, 2)}\n`);
  return { ...summary, outDir, files: written };
}
