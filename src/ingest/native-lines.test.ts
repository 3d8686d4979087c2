/**
 * The DuckDB-native settlement-line path (native-lines.ts) must store exactly what the record-by-record
 * path (engine 'js') stores: the same rows with the same lineage, the same quarantine (raw text,
 * reasons, codes, amounts), the same batch records and reports. Each case imports the same files into
 * two stores, one per engine, and compares everything — and checks the native path really ran.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_FILES } from '../domain/index.js';
import { openMemoryStore, openStore, type Store } from '../store/index.js';
import { writeRegion } from '../synth/index.js';
import { writeMiniRegion } from '../testing/mini-region.js';
import { importFile, importRegion, type FileReport } from './importer.js';
import { csvCell, fieldValue } from './importer.property.case.js';
import { fieldProven, ShapeScanner, sizeBytes, type FieldForm } from './native-lines.js';
import { isCalendarDate } from './kinds.js';

const KEY = 'native-equivalence';
const COLS = REGION_FILES.settlementLines.columns;

async function snapshot(store: Store): Promise<Record<string, unknown>> {
  return {
    lines: await store.query(`SELECT * FROM settlement_lines ORDER BY batch_id, source_row, id`),
    quarantine: await store.query(`SELECT * FROM quarantine ORDER BY batch_id, source_row, reasons`),
    batches: await store.query(`SELECT * EXCLUDE (started_at, finished_at) FROM import_batches ORDER BY batch_id`),
  };
}

const withoutEngine = ({ native: _native, ...r }: FileReport): Omit<FileReport, 'native'> => r;

/** Import one file through both engines; the reports must agree. Returns the native report. */
async function both(native: Store, js: Store, path: string): Promise<FileReport> {
  const a = await importFile(native, path, { pseudonymKey: KEY, kind: 'settlementLines' });
  const b = await importFile(js, path, { pseudonymKey: KEY, kind: 'settlementLines', engine: 'js' });
  expect(b.native).toBeUndefined();
  expect(withoutEngine(a)).toEqual(withoutEngine(b));
  return a;
}

describe('native settlement-line import ≡ record-by-record import', () => {
  let dir: string;
  let native: Store;
  let js: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medfund-native-'));
    writeRegion(join(dir, 'region'), { hospitals: 2, inpatients: 150, outpatients: 1500, years: 1, seed: 11, badRowScale: 5 });
    native = await openMemoryStore();
    js = await openMemoryStore();
  });
  afterAll(async () => {
    await native?.close();
    await js?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a generated region identically (bad rows included)', { timeout: 120_000 }, async () => {
    const a = await importRegion(native, join(dir, 'region'), { pseudonymKey: KEY });
    const b = await importRegion(js, join(dir, 'region'), { pseudonymKey: KEY, engine: 'js' });
    expect(a.files.map(withoutEngine)).toEqual(b.files.map(withoutEngine));
    const lines = a.files.find((f) => f.kind === 'settlementLines')!;
    expect(lines.native, 'the native path ran').toBeDefined();
    expect(lines.rowsQuarantined).toBeGreaterThan(0);
    expect(lines.native!.suspectRows).toBeGreaterThanOrEqual(lines.rowsQuarantined);
    expect(await snapshot(native)).toEqual(await snapshot(js));
  });

  it('judges every doubtful row with kinds.ts: white space, rounding ties, mapping, bad refs, repeats — in UTF-8, CRLF, GBK and with a BOM', { timeout: 120_000 }, async () => {
    const text = readFileSync(join(dir, 'region', REGION_FILES.settlementLines.file), 'utf8');
    const [header, ...rows] = text.trimEnd().split('\n');
    const [, mapping] = readFileSync(join(dir, 'region', REGION_FILES.codeMap.file), 'utf8').trimEnd().split('\n');
    const [mapInst, mapLocal] = mapping!.split(',');
    const sample = rows.filter((r) => !r.includes('"')).slice(0, 400).map((r) => r.split(','));
    const mutations: Array<(f: string[]) => void> = [
      (f) => (f[5] = ` ${f[5]}`), // leading space in the item name
      (f) => (f[0] = `${f[0]}\u3000`), // ideographic space after the id
      (f) => ((f[8] = '0.5'), (f[9] = '3'), (f[10] = '2')), // 1.5 fen: a rounding tie, half-up → 2
      (f) => ((f[8] = '0.5'), (f[9] = '3'), (f[10] = '1')), // … and the wrong side of it
      (f) => (f[13] = f[13]!.replace('T', ' ')), // space-separated timestamp (normalised)
      (f) => (f[13] = f[13]!.slice(0, 16)), // no seconds
      (f) => (f[8] = '.5'), // quantity without a leading zero
      (f) => (f[9] = `00${f[9]}`), // leading zeros in the unit price
      (f) => (f[10] = String(Number(f[10]) + 1)), // amount mismatch
      (f) => (f[1] = 'E-404'), // unknown encounter
      (f) => (f[1] = ` ${f[1]}`), // the encounter id with a leading space (kinds.ts trims it: found)
      (f) => (f[11] = 'DR-404'), // unknown doctor
      (f) => (f[6] = '药品'), // category not an enum value
      (f) => (f[13] = '2025-02-30T10:00:00'), // no such day
      (f) => ((f[2] = mapInst!), (f[3] = mapLocal!), (f[4] = '')), // mapped local code (institution may then mismatch)
      (f) => ((f[3] = 'NO-SUCH-LOCAL'), (f[4] = '')), // unmapped local code
      (f) => (f[8] = '-1'),
      (f) => (f[9] = ''),
    ];
    const body: string[] = [];
    const cells: string[][] = [];
    sample.forEach((f, i) => {
      const g = [...f];
      g[0] = `V${i}`;
      if (i % 3 === 0) mutations[(i / 3) % mutations.length]!(g);
      cells.push(g.map(csvCell));
      body.push(cells[cells.length - 1]!.join(','));
    });
    // the same rows with the columns in another order and one more column (the record path reads them by name)
    const reordered = [['note', ...[...COLS].reverse()].join(' , '), ...cells.map((c, i) => [`备注${i}`, ...[...c].reverse()].join(',').replace(/V(\d+)$/, 'R$1'))].join('\n') + '\n';
    body.push(body[5]!.replace(/^V5,/, 'V5,')); // an in-file repeat of V5 (identical)
    body.push(body[7]!.replace(/^V7,/, 'V8,')); // V8 again with V7's content: a conflict inside the file
    body.push(rows[0]!); // a line already stored by the region import: a duplicate
    const changed = rows[1]!.split(',');
    changed[5] = `${changed[5]}改`;
    body.push(changed.join(',')); // already stored, different content: a conflict
    const utf8 = `${header}\n${body.join('\n')}\n`;
    const files: Array<[string, string | Buffer]> = [
      ['variants.csv', utf8],
      ['variants-crlf.csv', utf8.replace(/\n/g, '\r\n')],
      ['variants-gbk.csv', iconv.encode(utf8.replace(/^V/gm, 'G'), 'gbk')],
      ['variants-no-final-newline.csv', utf8.replace(/^V/gm, 'N').trimEnd()],
      ['variants-bom.csv', `\uFEFF${utf8.replace(/^V/gm, 'M')}`], // Excel's "CSV UTF-8"
      ['variants-reordered.csv', reordered],
    ];
    for (const [name, content] of files) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = await both(native, js, path);
      expect(r.native, `${name}: native path`).toBeDefined();
      // about a third of the rows are mutated: the others must pass the SQL predicate, not fall to kinds.ts
      expect(r.native!.suspectRows, `${name}: rows judged by kinds.ts`).toBeLessThan(body.length / 2);
      expect(r.rowsQuarantined, name).toBeGreaterThan(10);
    }
    expect(await snapshot(native)).toEqual(await snapshot(js));
  });

  it('sends files it cannot read exactly like csv.ts to the record path (same result)', { timeout: 60_000 }, async () => {
    const text = readFileSync(join(dir, 'region', REGION_FILES.settlementLines.file), 'utf8').trimEnd().split('\n');
    const rows = text.slice(1, 30).map((r) => r.replace(/^([^,]*)/, 'W$1'));
    const cases: Array<[string, string]> = [
      ['quoted-newline.csv', [text[0], ...rows.slice(0, 3), rows[3]!.replace(/,([^,]*)$/, ',"x\ny"'), ...rows.slice(4)].join('\n')],
      ['blank-line.csv', [text[0], ...rows.slice(0, 5), '', ...rows.slice(5)].join('\n').replace(/^W/gm, 'X')],
      ['stray-quote.csv', [text[0], ...rows.slice(0, 5).map((r) => r.replace(/^W/, 'Y').replace(',', ',a"b'))].join('\n')],
    ];
    // Invalid UTF-8 past the 64 KiB the encoding detector samples: DuckDB's reader refuses it, the
    // native transaction rolls back and the record path decodes it to U+FFFD.
    const invalidFile = (prefix: string): Buffer => {
      const many = text.slice(1).map((r) => r.replace(/^([^,]*)/, `${prefix}$1`)).join('\n');
      const [badRow] = text.slice(1, 2).map((r) => r.replace(/^([^,]*)/, `${prefix}BAD$1`).split(','));
      return Buffer.concat([Buffer.from(`${text[0]}\n${many}\n${badRow!.slice(0, 5).join(',')},x`), Buffer.from([0xff, 0xed, 0xa0, 0x80]), Buffer.from(`y,${badRow!.slice(6).join(',')}\n`)]);
    };
    const invalid = invalidFile('U');
    expect(invalid.length).toBeGreaterThan(65536);
    for (const [name, content] of [...cases, ['invalid-utf8.csv', invalid] as const]) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const r = await both(native, js, path);
      expect(r.native, name).toBeUndefined();
    }
    // the INSERT's plan settings do not outlive a failed native attempt
    expect((await native.query(`SELECT current_setting('disabled_optimizers') AS v`))[0]!.v).toBe('');
    // …nor does asking for progress keep a refused file from falling back to the record path
    const again = join(dir, 'invalid-utf8-again.csv');
    writeFileSync(again, invalidFile('Q'));
    const withProgress = await importFile(native, again, { pseudonymKey: KEY, kind: 'settlementLines', onProgress: () => undefined });
    const plain = await importFile(js, again, { pseudonymKey: KEY, kind: 'settlementLines', engine: 'js' });
    expect(withProgress.native).toBeUndefined();
    expect(withoutEngine(withProgress)).toEqual(withoutEngine(plain));
    expect(await snapshot(native)).toEqual(await snapshot(js));
    expect(await snapshot(native)).toEqual(await snapshot(js));
  });
});

describe('native ≡ record path on the mini region and fast-check garbage', () => {
  let dir: string;
  let native: Store;
  let js: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medfund-native-prop-'));
    writeMiniRegion(dir);
    native = await openMemoryStore();
    js = await openMemoryStore();
    const a = await importRegion(native, dir, { pseudonymKey: KEY });
    const b = await importRegion(js, dir, { pseudonymKey: KEY, engine: 'js' });
    expect(a.files.map(withoutEngine)).toEqual(b.files.map(withoutEngine));
    expect(a.files.find((f) => f.kind === 'settlementLines')!.native).toBeDefined();
  });
  afterAll(async () => {
    await native?.close();
    await js?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('random and garbled rows end identically', { timeout: 120_000 }, async () => {
    let run = 0;
    let nativeRuns = 0;
    const rowArb = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(...COLS.slice(1).map((c) => fieldValue(c))).map((vals) => vals.map(csvCell)) },
      { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 6 }).map(csvCell), { minLength: 1, maxLength: 20 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.boolean(), async (generated, crlf, plainish) => {
        run++;
        // Half the runs keep the garbage (quotes, commas, spaces, CJK, bad numbers) but drop what makes a
        // file non-plain (wrong field counts, line breaks and NUL in fields), so the native path judges it.
        const rows = plainish
          ? generated.filter((r) => r.length === COLS.length - 1).map((r) => r.map((c) => c.replace(/[\r\n\u0000]/g, ' ')))
          : generated;
        if (rows.length === 0) return;
        const body = rows.map((r, i) => (r.length === COLS.length - 1 ? [`Q${run}-${i}`, ...r] : r).join(',')).join(crlf ? '\r\n' : '\n');
        const path = join(dir, `garbage-${run}.csv`);
        writeFileSync(path, COLS.join(',') + (crlf ? '\r\n' : '\n') + body + (crlf ? '\r\n' : '\n'));
        const r = await both(native, js, path);
        if (r.native) nativeRuns++;
      }),
      { numRuns: 40, seed: 20251123 },
    );
    expect(await snapshot(native)).toEqual(await snapshot(js));
    expect(nativeRuns, 'some garbage files are plain enough for the native path').toBeGreaterThan(3);
  });

  it('the shape scan accepts plain RFC 4180 only', () => {
    const scan = (s: string) => {
      const sc = new ShapeScanner(3, 'a,b,c');
      const b = Buffer.from(s);
      // byte by byte, to cross every chunk boundary
      for (let i = 0; i < b.length; i++) sc.push(b.subarray(i, i + 1));
      return sc.finish();
    };
    expect(scan('a,b,c\n1,"x,""y""",3\n4,,\n')).toMatchObject({ plain: true, records: 2, crlf: false });
    expect(scan('a,b,c\r\n1,2,3\r\n4,5,6')).toMatchObject({ plain: true, records: 2, crlf: true });
    for (const bad of ['a,b,c\n1,2\n', 'a,b,c\n1,"2\n",3\n', 'a,b,c\n1,2,3\n\n4,5,6\n', 'a,b,c\n1,x"y,3\n', 'a,b,c\n1,"x"y,3\n', 'a,b,c\n1,2,3\r4,5,6\n',
      'a,b,c\n1,2,3\r\n4,5,6\n', 'a,b\n1,2\n', 'a,b,c\n1,\u0000,3\n', 'a,b,c\n', 'a,b,c\n1,2,"3']) {
      expect(scan(bad).plain, JSON.stringify(bad)).toBe(false);
    }
  });

  it('the numbered copy carries each data line with its physical line number, across chunk boundaries', () => {
    const number = (s: string, step: number): string => {
      const sc = new ShapeScanner(3, 'a,b,c');
      const b = Buffer.from(s);
      const out: Buffer[] = [];
      for (let i = 0; i < b.length; i += step) out.push(Buffer.from(sc.pushNumbered(b.subarray(i, i + step))!));
      expect(sc.finish().plain).toBe(true);
      return Buffer.concat(out).toString();
    };
    for (const step of [1, 2, 5, 7, 1000]) {
      expect(number('a,b,c\n1,"x,""y""",3\n4,,\n', step)).toBe('2,1,"x,""y""",3\n3,4,,\n');
      expect(number('a,b,c\r\n1,2,3\r\n4,5,6', step)).toBe('2,1,2,3\r\n3,4,5,6');
      expect(number('a,b,c\n' + '7,8,9\n'.repeat(12), step)).toBe(Array.from({ length: 12 }, (_, i) => `${i + 2},7,8,9\n`).join(''));
    }
    expect(new ShapeScanner(3, 'a,b,c').pushNumbered(Buffer.from('a,b,c\n1,2\n'))).toBeUndefined();
  });
});

describe('what the scan proves of a field (the SQL then skips its tests)', () => {
  // The SQL's own tests (cleanInsertSql), in JS: a proof must never claim more than they would.
  const SQL_FORM: Record<Exclude<FieldForm, 'any'>, (v: string) => boolean> = {
    text: (v) => v === v.trim(),
    decimal: (v) => /^\d{1,9}(\.\d{1,9})?$/.test(v),
    digits12: (v) => /^\d{1,12}$/.test(v),
    digits15: (v) => /^\d{1,15}$/.test(v),
    timestamp: (v) => /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(v) && isCalendarDate(v.slice(0, 10)),
  };
  const WS = [' ', '\t', '\u000b', '\f', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
  // Characters near the edges of the rules: white space, CJK whose UTF-8 shares bytes with white space, digits, separators
  const ch = fc.constantFrom(...WS, '0', '1', '5', '9', '.', '-', 'T', ':', 'a', '阿', '囊', '器', '（', '「', '\u2010', '\u2030', '\u3001', '\ufeff', '\u00a9', '"');
  const text = fc.oneof(fc.string({ unit: ch, maxLength: 24 }), fc.string({ maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
  const ts = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }))
    .map(([y, mo, d, h, mi, s]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`);

  it('never proves a form the SQL would not accept (fast-check)', () => {
    for (const form of Object.keys(SQL_FORM) as (keyof typeof SQL_FORM)[])
      fc.assert(
        fc.property(form === 'timestamp' ? fc.oneof(ts, text) : text, (v) => !fieldProven(v, form) || SQL_FORM[form](v)),
        { numRuns: 3000, seed: 20261208 },
      );
  });

  it('proves the clean values of ordinary files (else every line would still be tested in SQL)', () => {
    for (const v of ['B123', 'H1-DR1', '阿莫西林胶囊', '一次性吻合器', '住院诊查费', 'XJ01CAA040A001010101234', '（甲类）注射液', '']) expect(fieldProven(v, 'text'), v).toBe(true);
    for (const v of ['1', '12.5', '123456789.123456789']) expect(fieldProven(v, 'decimal'), v).toBe(true);
    for (const v of ['0', '250000', '999999999999']) expect(fieldProven(v, 'digits12'), v).toBe(true);
    for (const v of ['2025-03-02T08:00:00', '2024-02-29T23:59:59', '2000-02-29T00:00:00']) expect(fieldProven(v, 'timestamp'), v).toBe(true);
    for (const [v, form] of [[' B1', 'text'], ['B1\u3000', 'text'], ['\ufeffB1', 'text'], ['1.', 'decimal'], ['.5', 'decimal'], ['1e3', 'decimal'], ['1234567890', 'decimal'],
      ['-1', 'digits12'], ['1234567890123', 'digits12'], ['2023-02-29T08:00:00', 'timestamp'], ['1900-02-29T08:00:00', 'timestamp'], ['0099-01-01T00:00:00', 'timestamp'],
      ['2025-03-02 08:00:00', 'timestamp'], ['2025-03-02T24:00:00', 'timestamp'], ['"B1"', 'text']] as const)
      expect(fieldProven(v, form), `${form} ${JSON.stringify(v)}`).toBe(false);
  });

  it('ends each line of the numbered copy with its proof, across chunk boundaries', () => {
    const forms: FieldForm[] = ['text', 'digits12', 'timestamp'];
    const number = (s: string, step: number): string => {
      const sc = new ShapeScanner(3, 'a,b,c', forms);
      const b = Buffer.from(s);
      const out: Buffer[] = [];
      for (let i = 0; i < b.length; i += step) out.push(Buffer.from(sc.pushNumbered(b.subarray(i, i + step))!));
      out.push(sc.endNumbered());
      expect(sc.finish().plain).toBe(true);
      return Buffer.concat(out).toString();
    };
    const body = 'a,b,c\n药品,12,2025-03-02T08:00:00\n 药品,12,2025-03-02T08:00:00\n药品,1x,2025-03-02T08:00:00\n"药品",12,2025-03-02T08:00:00\n';
    expect(number(body, 1000)).toBe('2,药品,12,2025-03-02T08:00:00,0\n3, 药品,12,2025-03-02T08:00:00,1\n4,药品,1x,2025-03-02T08:00:00,1\n5,"药品",12,2025-03-02T08:00:00,1\n');
    expect(number('a,b,c\r\nx,1,2025-03-02T08:00:00\r\ny,2,2025-03-02T08:00:00', 1000)).toBe('2,x,1,2025-03-02T08:00:00,0\r\n3,y,2,2025-03-02T08:00:00,1');
    for (const step of [1, 2, 5, 7, 13]) {
      // a field cut by a chunk boundary is never proven (the line is tested in SQL): only the proofs may differ
      const got = number(body, step);
      expect(got.replace(/,[01](?=\r?\n|$)/g, '')).toBe(number(body, 1000).replace(/,[01](?=\r?\n|$)/g, ''));
      for (const line of got.trimEnd().split('\n').slice(1)) expect(line.endsWith(',1'), line).toBe(true);
    }
  });
});

describe('native import on a database file', () => {
  it('lowers DuckDB\'s memory limit only while it imports, and puts the previous one back', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medfund-native-file-'));
    const store = await openStore({ db: join(dir, 'm.duckdb') });
    try {
      const limit = async () => String((await store.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]!.v);
      const before = await limit();
      expect(sizeBytes(before)).toBeGreaterThan(sizeBytes('512MiB')); // the machine has more: the limit is lowered
      writeMiniRegion(join(dir, 'region'));
      const r = await importRegion(store, join(dir, 'region'), { pseudonymKey: KEY });
      expect(r.files.find((f) => f.kind === 'settlementLines')!.native).toBeDefined();
      expect(await limit()).toBe(before);
      await store.exec(`SET memory_limit = '300MiB'`); // already lower: left alone, and kept
      const again = join(dir, 'again.csv');
      writeFileSync(again, readFileSync(join(dir, 'region', REGION_FILES.settlementLines.file), 'utf8').replace(/^L/gm, 'M'));
      expect((await importFile(store, again, { pseudonymKey: KEY, kind: 'settlementLines' })).native).toBeDefined();
      expect(await limit()).toBe('300.0 MiB');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the reference tables on the build side of its joins: a region of 30k encounters imports natively within 192 MiB (it needed 256 MiB before)', { timeout: 120_000 }, async () => {
    // DuckDB estimated the filtered file at a few hundred rows and built the encounter join's hash
    // table from the file — every line — so a realistic region ran out of the import's memory and
    // fell back to the record path. The plan is now fixed as written (native-lines.ts, load()).
    const dir = mkdtempSync(join(tmpdir(), 'medfund-native-plan-'));
    const store = await openStore({ db: join(dir, 'p.duckdb') });
    try {
      writeRegion(join(dir, 'region'), { hospitals: 2, inpatients: 3000, outpatients: 27000, years: 1, seed: 5, badRowScale: 0 });
      await importRegion(store, join(dir, 'region'), { pseudonymKey: KEY });
      const again = join(dir, 'again.csv');
      const text = readFileSync(join(dir, 'region', REGION_FILES.settlementLines.file), 'utf8');
      writeFileSync(again, text.replace(/^(?!id,)(?=.)/gm, 'again-'));
      const lines = text.trimEnd().split('\n').length - 1;
      expect(lines).toBeGreaterThan(250_000);
      await store.exec(`SET memory_limit = '192MiB'`);
      const r = await importFile(store, again, { pseudonymKey: KEY, kind: 'settlementLines' });
      expect(r.native, 'native path within 192 MiB').toBeDefined();
      expect(r.rowsStored).toBe(lines);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads sizes as DuckDB prints them', () => {
    expect(sizeBytes('18.8 GiB')).toBeCloseTo(18.8 * 2 ** 30);
    expect(sizeBytes('512MiB')).toBe(512 * 2 ** 20);
    expect(sizeBytes('1GB')).toBe(1e9);
    expect(sizeBytes('0 bytes')).toBe(0);
    expect(sizeBytes('lots')).toBeNaN();
  });
});
