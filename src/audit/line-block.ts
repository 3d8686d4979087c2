/**
 * Shared line blocks: the hand-off format of the parallel batch audit (parallel-batch.ts). Numbers
 * live in SharedArrayBuffers that every worker reads in place (nothing is copied per line);
 * strings of bounded variety (codes, names, doctors, departments, charge times, encounter fields)
 * are ids into one StringPool whose new entries travel once with the next message; line ids never
 * leave the calling thread (workers name a line by its reference `block · 2^24 + index`, which the
 * driver maps back to the id when it builds violations). Encounters are packed as Int32 records per
 * shard, with the shard chosen by person when the encounter is added.
 */
import { CHARGE_CATEGORIES } from '../domain/index.js';
import type { Encounter, InstitutionLevel, SettlementLine } from '../domain/index.js';
import type { AuditPlan } from './compile.js';
import { mappedCodeOf, minuteOf } from './columns.js';
import type { LineColumns } from './columns.js';
import type { AuditEncounter } from './types.js';

/** Line references: block number × LINE_REF_BLOCK + index in the block (exact in a double). */
export const LINE_REF_BLOCK = 16_777_216;

/** Append-only string ↔ id dictionary (ids are dense, in order of first sight). */
export class StringPool {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let x = this.ids.get(s);
    if (x === undefined) {
      x = this.strings.length;
      this.ids.set(s, x);
      this.strings.push(s);
    }
    return x;
  }
}

/** The Int32 string-id columns of a block, in message order. itemCode -1: the plan item's own code. */
export const ID_COLUMNS = ['itemCode', 'localCode', 'mappedCode', 'itemName', 'doctorId', 'departmentId', 'chargedAt'] as const;
export type IdColumn = (typeof ID_COLUMNS)[number];

/** The shared (worker-readable) part of a block. */
export interface SharedColumns {
  item: Int32Array;
  category: Uint8Array;
  quantity: Float64Array;
  unitPriceFen: Float64Array;
  amountFen: Float64Array;
  tMin: Int32Array;
  itemCode: Int32Array;
  localCode: Int32Array;
  mappedCode: Int32Array;
  itemName: Int32Array;
  doctorId: Int32Array;
  departmentId: Int32Array;
  chargedAt: Int32Array;
}

// Encounter record: Int32 fields (string fields are pool ids; the encounter id travels apart).
export const ENC = {
  seq: 0, from: 1, to: 2, level: 3, institutionId: 4, departmentId: 5, personId: 6, doctorId: 7, kind: 8, benefitType: 9, scheme: 10, sex: 11,
  ageYears: 12, ageDays: 13, birthWeightGrams: 14, admitDate: 15, dischargeDate: 16, dischargeType: 17, losDays: 18, codes: 19, nDx: 20, nProc: 21,
} as const;
export const ENC_STRIDE = 22;

/** Encounters of one shard in a block. */
export interface ShardEncounters {
  n: number;
  rec: Int32Array;
  /** diagnosis then procedure pool ids of each encounter, at rec[codes] */
  codes: Int32Array;
  nCodes: number;
  ids: string[];
}

/** A block of lines and the encounters they belong to, filled by the reader, then submitted. */
export interface LineBlock {
  readonly capacity: number;
  length: number;
  readonly cols: SharedColumns;
  /** line ids: stay with the driver */
  id: string[];
  readonly shards: ShardEncounters[];
  /** every encounter of the block in add order (the driver's cross-patient part reads them) */
  readonly encounters: AuditEncounter[];
  readonly encShard: number[];
}

const shared = <T>(Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T => new Ctor(new SharedArrayBuffer(Math.max(1, n) * Ctor.BYTES_PER_ELEMENT));

export function allocSharedColumns(capacity: number): SharedColumns {
  return {
    item: shared(Int32Array, capacity),
    category: shared(Uint8Array, capacity),
    quantity: shared(Float64Array, capacity),
    unitPriceFen: shared(Float64Array, capacity),
    amountFen: shared(Float64Array, capacity),
    tMin: shared(Int32Array, capacity),
    itemCode: shared(Int32Array, capacity),
    localCode: shared(Int32Array, capacity),
    mappedCode: shared(Int32Array, capacity),
    itemName: shared(Int32Array, capacity),
    doctorId: shared(Int32Array, capacity),
    departmentId: shared(Int32Array, capacity),
    chargedAt: shared(Int32Array, capacity),
  };
}

const newShard = (): ShardEncounters => ({ n: 0, rec: new Int32Array(256 * ENC_STRIDE), codes: new Int32Array(1024), nCodes: 0, ids: [] });

export function allocLineBlock(capacity: number, shards: number): LineBlock {
  return { capacity, length: 0, cols: allocSharedColumns(capacity), id: [], shards: Array.from({ length: shards }, newShard), encounters: [], encShard: [] };
}

/** Empty a submitted block for reuse (its line ids were handed to the driver). */
export function resetLineBlock(b: LineBlock): void {
  b.length = 0;
  b.id = []; // written in order from 0: stays a packed array of exactly the block's lines
  for (let k = 0; k < b.shards.length; k++) b.shards[k] = newShard();
  b.encounters.length = 0;
  b.encShard.length = 0;
}

/** FNV-1a of the person id: every encounter of a person lands in the same shard. */
export function shardOf(personId: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < personId.length; i++) h = Math.imul(h ^ personId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

/** Append lines [from, to) of columns (strings interned once in `pool`). The caller checks room. */
export function appendColumns(b: LineBlock, pool: StringPool, c: LineColumns, from: number, to: number): void {
  const s = b.cols;
  let j = b.length;
  // consecutive lines often repeat a string (doctor, department, empty names): skip the lookup then
  let lastLocal: string | undefined, lastLocalId = 0, lastMapped: string | undefined, lastMappedId = 0, lastName: string | undefined, lastNameId = 0;
  let lastDoc: string | undefined, lastDocId = 0, lastDept: string | undefined, lastDeptId = 0, lastAt: string | undefined, lastAtId = 0;
  for (let i = from; i < to; i++, j++) {
    const it = c.item[i]!;
    s.item[j] = it;
    s.category[j] = c.category[i]!;
    s.quantity[j] = c.quantity[i]!;
    s.unitPriceFen[j] = c.unitPriceFen[i]!;
    s.amountFen[j] = c.amountFen[i]!;
    s.tMin[j] = c.tMin[i]!;
    // a code the plan knows is its item's code (item = codeIndex.get(itemCode)): -1 says so
    s.itemCode[j] = it >= 0 ? -1 : pool.id(c.itemCode[i]!);
    const lc = c.localCode[i]!;
    if (lc !== lastLocal) (lastLocal = lc), (lastLocalId = pool.id(lc));
    s.localCode[j] = lastLocalId;
    const mc = c.mappedCode[i]!;
    if (mc !== lastMapped) (lastMapped = mc), (lastMappedId = pool.id(mc));
    s.mappedCode[j] = lastMappedId;
    const nm = c.itemName[i]!;
    if (nm !== lastName) (lastName = nm), (lastNameId = pool.id(nm));
    s.itemName[j] = lastNameId;
    const dc = c.doctorId[i]!;
    if (dc !== lastDoc) (lastDoc = dc), (lastDocId = pool.id(dc));
    s.doctorId[j] = lastDocId;
    const dp = c.departmentId[i]!;
    if (dp !== lastDept) (lastDept = dp), (lastDeptId = pool.id(dp));
    s.departmentId[j] = lastDeptId;
    const at = c.chargedAt[i]!;
    if (at !== lastAt) (lastAt = at), (lastAtId = pool.id(at));
    s.chargedAt[j] = lastAtId;
    b.id[j] = c.id[i]!;
  }
  b.length = j;
}

/** Append one line as read from a store (same resolution as columns.ts pushLine). The caller checks room. */
export function appendLine(b: LineBlock, pool: StringPool, plan: AuditPlan, l: SettlementLine): void {
  const s = b.cols;
  const j = b.length++;
  const it = plan.codeIndex.get(l.itemCode) ?? -1;
  s.item[j] = it;
  s.category[j] = CHARGE_CATEGORIES.indexOf(l.category);
  s.quantity[j] = l.quantity;
  s.unitPriceFen[j] = l.unitPriceFen;
  s.amountFen[j] = l.amountFen;
  s.tMin[j] = minuteOf(l.chargedAt);
  s.itemCode[j] = it >= 0 ? -1 : pool.id(l.itemCode);
  s.localCode[j] = pool.id(l.localCode);
  s.mappedCode[j] = pool.id(mappedCodeOf(plan, l));
  s.itemName[j] = pool.id(l.itemName);
  s.doctorId[j] = pool.id(l.doctorId);
  s.departmentId[j] = pool.id(l.departmentId);
  s.chargedAt[j] = pool.id(l.chargedAt);
  b.id[j] = l.id;
}

/** Grow a block (not yet submitted) to hold at least `capacity` lines. */
export function growLineBlock(b: LineBlock, capacity: number): LineBlock {
  const g = allocLineBlock(capacity, b.shards.length);
  for (const k of Object.keys(b.cols) as (keyof SharedColumns)[]) (g.cols[k] as Int32Array).set((b.cols[k] as Int32Array).subarray(0, b.length));
  for (let i = 0; i < b.length; i++) g.id[i] = b.id[i]!;
  g.length = b.length;
  g.shards.splice(0, g.shards.length, ...b.shards);
  g.encounters.push(...b.encounters);
  g.encShard.push(...b.encShard);
  return g;
}

/** Register the encounter of lines [from, to) of the block: packed into its person's shard. */
export function addBlockEncounter(b: LineBlock, pool: StringPool, ctx: AuditEncounter, from: number, to: number, seq: number): void {
  const e = ctx.encounter;
  const k = shardOf(e.personId, b.shards.length);
  const s = b.shards[k]!;
  if ((s.n + 1) * ENC_STRIDE > s.rec.length) {
    const r = new Int32Array(s.rec.length * 2);
    r.set(s.rec);
    s.rec = r;
  }
  const need = s.nCodes + e.diagnoses.length + e.procedures.length;
  if (need > s.codes.length) {
    const c = new Int32Array(Math.max(need, s.codes.length * 2));
    c.set(s.codes);
    s.codes = c;
  }
  const r = s.rec;
  const o = s.n++ * ENC_STRIDE;
  r[o + ENC.seq] = seq;
  r[o + ENC.from] = from;
  r[o + ENC.to] = to;
  r[o + ENC.level] = pool.id(ctx.institutionLevel);
  r[o + ENC.institutionId] = pool.id(e.institutionId);
  r[o + ENC.departmentId] = pool.id(e.departmentId);
  r[o + ENC.personId] = pool.id(e.personId);
  r[o + ENC.doctorId] = pool.id(e.doctorId);
  r[o + ENC.kind] = pool.id(e.kind);
  r[o + ENC.benefitType] = pool.id(e.benefitType);
  r[o + ENC.scheme] = pool.id(e.scheme);
  r[o + ENC.sex] = pool.id(e.sex);
  r[o + ENC.ageYears] = e.ageYears;
  r[o + ENC.ageDays] = e.ageDays;
  r[o + ENC.birthWeightGrams] = e.birthWeightGrams;
  r[o + ENC.admitDate] = pool.id(e.admitDate);
  r[o + ENC.dischargeDate] = pool.id(e.dischargeDate);
  r[o + ENC.dischargeType] = pool.id(e.dischargeType);
  r[o + ENC.losDays] = e.losDays;
  r[o + ENC.codes] = s.nCodes;
  r[o + ENC.nDx] = e.diagnoses.length;
  r[o + ENC.nProc] = e.procedures.length;
  for (const d of e.diagnoses) s.codes[s.nCodes++] = pool.id(d);
  for (const p of e.procedures) s.codes[s.nCodes++] = pool.id(p);
  s.ids.push(e.id);
  b.encounters.push(ctx);
  b.encShard.push(k);
}

/** The encounter of record `k` (worker side; `S` is the pool's strings). Same fields as the original. */
export function decodeEncounter(rec: Int32Array, codes: Int32Array, k: number, id: string, S: readonly string[]): AuditEncounter {
  const o = k * ENC_STRIDE;
  const c0 = rec[o + ENC.codes]!;
  const nDx = rec[o + ENC.nDx]!;
  const nProc = rec[o + ENC.nProc]!;
  const diagnoses = new Array<string>(nDx);
  for (let i = 0; i < nDx; i++) diagnoses[i] = S[codes[c0 + i]!]!;
  const procedures = new Array<string>(nProc);
  for (let i = 0; i < nProc; i++) procedures[i] = S[codes[c0 + nDx + i]!]!;
  const encounter: Encounter = {
    id,
    institutionId: S[rec[o + ENC.institutionId]!]!,
    departmentId: S[rec[o + ENC.departmentId]!]!,
    personId: S[rec[o + ENC.personId]!]!,
    doctorId: S[rec[o + ENC.doctorId]!]!,
    kind: S[rec[o + ENC.kind]!]! as Encounter['kind'],
    benefitType: S[rec[o + ENC.benefitType]!]! as Encounter['benefitType'],
    scheme: S[rec[o + ENC.scheme]!]! as Encounter['scheme'],
    sex: S[rec[o + ENC.sex]!]! as Encounter['sex'],
    ageYears: rec[o + ENC.ageYears]!,
    ageDays: rec[o + ENC.ageDays]!,
    birthWeightGrams: rec[o + ENC.birthWeightGrams]!,
    admitDate: S[rec[o + ENC.admitDate]!]!,
    dischargeDate: S[rec[o + ENC.dischargeDate]!]!,
    dischargeType: S[rec[o + ENC.dischargeType]!]! as Encounter['dischargeType'],
    losDays: rec[o + ENC.losDays]!,
    diagnoses,
    procedures,
  };
  return { encounter, institutionLevel: S[rec[o + ENC.level]!]! as InstitutionLevel };
}
