import { describe, expect, it } from 'vitest';
import { test as propTest, fc } from '@fast-check/vitest';
import { CsvParser, csvQuote } from './csv.js';

function parseAll(text: string, chunkSizes: number[] = [text.length || 1]): string[][] {
  const p = new CsvParser();
  const out: string[][] = [];
  let pos = 0;
  let k = 0;
  while (pos < text.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]!);
    for (const r of p.push(text.slice(pos, pos + size))) out.push(r.fields);
    pos += size;
  }
  for (const r of p.end()) out.push(r.fields);
  return out;
}

describe('CsvParser', () => {
  it('parses quotes, escaped quotes, embedded newlines and CRLF', () => {
    const text = 'a,b,c\r\n1,"x,y","he said ""hi"""\n2,"multi\nline",\n3,,last';
    expect(parseAll(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x,y', 'he said "hi"'],
      ['2', 'multi\nline', ''],
      ['3', '', 'last'],
    ]);
  });
  it('reports the physical line of each record and its raw text', () => {
    const p = new CsvParser();
    const recs = [...p.push('h1,h2\n"a\nb",1\nc,2\n'), ...p.end()];
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(recs[1]!.raw).toBe('"a\nb",1');
  });
  it('treats a trailing comma at the end of input as an empty last field', () => {
    expect(parseAll('a,b,')).toEqual([['a', 'b', '']]);
  });
  propTest.prop([
    fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r\n', ' ', '1') }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }),
    fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
  ])('round-trips any table through quote + parse, whatever the chunking', (rows, chunks) => {
    // A lone empty field would serialise as an empty line; quoting makes it explicit.
    const text = rows.map((r) => r.map(csvQuote).join(',')).join('\n') + '\n';
    expect(parseAll(text, chunks)).toEqual(rows);
  });
});
