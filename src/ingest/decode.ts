/**
 * Reading source files as text in constant memory, whatever their encoding. Chinese hospital
 * exports are often GBK (GB18030's subset); we detect it when the first 64 KiB are not valid UTF-8.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';

export type SourceEncoding = 'utf-8' | 'gbk';

/** Detect the text encoding from the file's first bytes (BOM, then UTF-8 validity). */
export function detectEncoding(path: string): SourceEncoding {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
    return isValidUtf8(head, n === buf.length) ? 'utf-8' : 'gbk';
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 validity; when `truncated`, an incomplete sequence at the very end is allowed. */
function isValidUtf8(b: Uint8Array, truncated: boolean): boolean {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else return false;
    if (i + need >= n) return truncated; // sequence cut by the sample's end
    for (let k = 1; k <= need; k++) {
      if ((b[i + k]! & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

export interface TextChunk {
  text: string;
  /** bytes of the file consumed so far (for progress) */
  bytesRead: number;
}

/** The file as decoded text chunks; the UTF-8 BOM is dropped. */
export async function* readText(path: string, encoding: SourceEncoding): AsyncGenerator<TextChunk> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let bytesRead = 0;
  let first = true;
  if (encoding === 'gbk') {
    const decoder = iconv.getDecoder('gbk');
    for await (const buf of stream as AsyncIterable<Buffer>) {
      bytesRead += buf.length;
      const text = decoder.write(buf);
      if (text) yield { text, bytesRead };
    }
    const rest = decoder.end();
    if (rest) yield { text: rest, bytesRead };
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const buf of stream as AsyncIterable<Buffer>) {
    bytesRead += buf.length;
    let text = decoder.write(buf);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text) yield { text, bytesRead };
  }
  const rest = decoder.end();
  if (rest) yield { text: rest, bytesRead };
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
