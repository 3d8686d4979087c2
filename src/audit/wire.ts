/**
 * Compact transfer of plain values (violations) between the batch workers and the driver. Structured
 * cloning hundreds of thousands of violation objects cost the receiving thread several µs each
 * (every key and every repeated string deserialised again); here values travel as typed arrays
 * (tags, numbers, ids), strings and object shapes are sent once per encoder and then named by id,
 * and the decoder builds objects through one generated literal per shape (same keys, same order).
 * Supported: numbers, strings, booleans, null, undefined, arrays and plain objects; anything else
 * (never produced by the engine today) travels in `other` by structured clone.
 */

const T_NUM = 0, T_STR = 1, T_ARR = 2, T_OBJ = 3, T_UNDEF = 4, T_TRUE = 5, T_FALSE = 6, T_NULL = 7, T_OTHER = 8, T_VIOLATION = 9;

/** What a violation takes from its rule (see evaluate.ts flush). */
export interface WireRule {
  id: string;
  version: number;
  kind: string;
  nationalClasses: number[];
  type: string | undefined;
  resultType: string;
  action: string;
}

export interface Encoded {
  count: number;
  tags: Uint8Array;
  nums: Float64Array;
  ids: Int32Array;
  newStrings: string[];
  newShapes: string[][];
  other: unknown[];
  raw: string[];
}

export class Encoder {
  private tags = new Uint8Array(4096);
  private nums = new Float64Array(1024);
  private ids = new Int32Array(4096);
  private nt = 0;
  private nn = 0;
  private ni = 0;
  private count = 0;
  private readonly strings = new Map<string, number>();
  private newStrings: string[] = [];
  private readonly shapes = new Map<string, number>();
  private newShapes: string[][] = [];
  private other: unknown[] = [];
  private raw: string[] = [];

  private tag(t: number): void {
    if (this.nt === this.tags.length) this.tags = grow(this.tags);
    this.tags[this.nt++] = t;
  }
  private id(x: number): void {
    if (this.ni === this.ids.length) this.ids = grow(this.ids);
    this.ids[this.ni++] = x;
  }
  private str(s: string): void {
    // long strings (rendered messages) rarely repeat: sent as they are (id < 0), not hashed into the map
    if (s.length > 40) {
      this.raw.push(s);
      this.id(-this.raw.length);
      return;
    }
    let x = this.strings.get(s);
    if (x === undefined) {
      this.strings.set(s, (x = this.strings.size));
      this.newStrings.push(s);
    }
    this.id(x);
  }

  /** Append one value. */
  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.tag(T_NUM);
        if (this.nn === this.nums.length) this.nums = grow(this.nums);
        this.nums[this.nn++] = v;
        return;
      case 'string':
        this.tag(T_STR);
        this.str(v);
        return;
      case 'boolean':
        this.tag(v ? T_TRUE : T_FALSE);
        return;
      case 'undefined':
        this.tag(T_UNDEF);
        return;
      case 'object':
        if (v === null) this.tag(T_NULL);
        else if (Array.isArray(v)) {
          this.tag(T_ARR);
          this.id(v.length);
          for (const x of v) this.value(x);
        } else if (Object.getPrototypeOf(v) === Object.prototype && !Object.prototype.hasOwnProperty.call(v, '__proto__')) {
          const keys = Object.keys(v);
          const k = keys.join('\u0000');
          let s = this.shapes.get(k);
          if (s === undefined) {
            this.shapes.set(k, (s = this.shapes.size));
            this.newShapes.push(keys);
          }
          this.tag(T_OBJ);
          this.id(s);
          for (const key of keys) this.value((v as Record<string, unknown>)[key]);
        } else {
          this.tag(T_OTHER);
          this.other.push(v);
        }
        return;
      default:
        this.tag(T_OTHER);
        this.other.push(v);
    }
  }

  /**
   * Append a violation of rule `ruleIdx` at the encounter being answered: the rule's fields travel
   * as its index, encounterId / institutionId come from the decoder's `at` (same key order as
   * evaluate.ts builds it; the caller checks the violation has exactly that form).
   */
  violation(ruleIdx: number, v: { departmentId: string; doctorId: string; lineIds: unknown[]; amountFen: number; message: string; evidence: unknown }): void {
    this.tag(T_VIOLATION);
    this.id(ruleIdx);
    this.value(v.departmentId);
    this.value(v.doctorId);
    this.value(v.lineIds);
    this.value(v.amountFen);
    this.value(v.message);
    this.value(v.evidence);
  }

  /** Append a top-level item that is an array of the next `n` values. */
  list(n: number): void {
    this.tag(T_ARR);
    this.id(n);
    this.count++;
  }

  /** Append a top-level item (one element of the decoded list). */
  item(v: unknown): void {
    this.value(v);
    this.count++;
  }

  /** Everything appended since the last take (the typed arrays are fresh: transfer their buffers). */
  take(): Encoded {
    const e: Encoded = {
      count: this.count,
      tags: this.tags.slice(0, this.nt),
      nums: this.nums.slice(0, this.nn),
      ids: this.ids.slice(0, this.ni),
      newStrings: this.newStrings,
      newShapes: this.newShapes,
      other: this.other,
      raw: this.raw,
    };
    this.nt = this.nn = this.ni = this.count = 0;
    this.newStrings = [];
    this.newShapes = [];
    this.other = [];
    this.raw = [];
    return e;
  }
}

export const transferables = (e: Encoded): ArrayBuffer[] => [e.tags.buffer, e.nums.buffer, e.ids.buffer] as ArrayBuffer[];

type Read = () => unknown;

/** The receiving side of one Encoder (takes must be decoded in the order they were taken). */
export class Decoder {
  constructor(private readonly rules: readonly WireRule[] = []) {}
  private readonly strings: string[] = [];
  private readonly makers: ((r: Read) => unknown)[] = [];

  /** `at(k)`: the encounter that top-level item k's compact violations belong to. */
  decode(e: Encoded, at?: (k: number) => { id: string; institutionId: string }): unknown[] {
    let here = { id: '', institutionId: '' };
    for (const s of e.newStrings) this.strings.push(s);
    for (const keys of e.newShapes) {
      // one object literal per shape: fixed keys in the encoder's order (values read in source order)
      const body = `return {${keys.map((k) => `${JSON.stringify(k)}: r()`).join(', ')}};`;
      this.makers.push(new Function('r', body) as (r: Read) => unknown);
    }
    const { tags, nums, ids, other, raw } = e;
    const S = this.strings;
    const M = this.makers;
    const rules = this.rules;
    let t = 0, n = 0, i = 0, o = 0;
    const read: Read = () => {
      switch (tags[t++]) {
        case T_NUM:
          return nums[n++];
        case T_STR: {
          const x = ids[i++]!;
          return x >= 0 ? S[x] : raw[-1 - x];
        }
        case T_ARR: {
          const len = ids[i++]!;
          const a = new Array<unknown>(len);
          for (let k = 0; k < len; k++) a[k] = read();
          return a;
        }
        case T_OBJ:
          return M[ids[i++]!]!(read);
        case T_UNDEF:
          return undefined;
        case T_TRUE:
          return true;
        case T_FALSE:
          return false;
        case T_NULL:
          return null;
        case T_VIOLATION: {
          const r = rules[ids[i++]!]!;
          return r.type
            ? { ruleId: r.id, ruleVersion: r.version, kind: r.kind, nationalClasses: r.nationalClasses, type: r.type, resultType: r.resultType, action: r.action, encounterId: here.id, institutionId: here.institutionId, departmentId: read(), doctorId: read(), lineIds: read(), amountFen: read(), message: read(), evidence: read() }
            : { ruleId: r.id, ruleVersion: r.version, kind: r.kind, nationalClasses: r.nationalClasses, resultType: r.resultType, action: r.action, encounterId: here.id, institutionId: here.institutionId, departmentId: read(), doctorId: read(), lineIds: read(), amountFen: read(), message: read(), evidence: read() };
        }
        default:
          return other[o++];
      }
    };
    const out = new Array<unknown>(e.count);
    for (let k = 0; k < e.count; k++) {
      if (at) here = at(k);
      out[k] = read();
    }
    return out;
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as { new (n: number): T })(a.length * 2);
  b.set(a);
  return b;
}
