/**
 * Settlement lines as columns: the batch hot path reads typed arrays and shared string arrays, not
 * one object per line. Lines of one encounter are a contiguous slice [from, to).
 */
import { CHARGE_CATEGORIES } from '../domain/index.js';
import type { SettlementLine } from '../domain/index.js';
import type { AuditPlan } from './compile.js';

export interface LineColumns {
  length: number;
  id: string[];
  encounterId: string[];
  institutionId: string[];
  itemCode: string[];
  localCode: string[];
  /** national code the local code maps to in code-map (same institution); '' when none */
  mappedCode: string[];
  itemName: string[];
  /** plan item index of itemCode, -1 when unknown to the plan */
  item: Int32Array;
  /** index into CHARGE_CATEGORIES */
  category: Uint8Array;
  quantity: Float64Array;
  unitPriceFen: Float64Array;
  amountFen: Float64Array;
  doctorId: string[];
  departmentId: string[];
  chargedAt: string[];
  /** minutes since 1970-01-01T00:00 (local time as written), from chargedAt */
  tMin: Int32Array;
}

const dayCache = new Map<string, number>();
/** Days since 1970-01-01 of an ISO date (first 10 chars of the text). */
export function dayNumber(iso: string): number {
  const key = iso.length === 10 ? iso : iso.slice(0, 10);
  let d = dayCache.get(key);
  if (d === undefined) {
    d = Math.floor(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10))) / 86_400_000);
    if (!Number.isFinite(d)) throw new RangeError(`not an ISO date: "${iso}"`);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(key, d);
  }
  return d;
}

/** ISO date of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Minutes since epoch of an ISO timestamp `YYYY-MM-DDTHH:mm[:ss]` (seconds ignored). */
export function minuteOf(ts: string): number {
  const h = ts.length >= 16 ? Number(ts.slice(11, 13)) * 60 + Number(ts.slice(14, 16)) : 0;
  return dayNumber(ts) * 1440 + h;
}

/** Empty columns with room for `capacity` lines. */
export function allocColumns(capacity: number): LineColumns {
  return {
    length: 0,
    id: new Array(capacity),
    encounterId: new Array(capacity),
    institutionId: new Array(capacity),
    itemCode: new Array(capacity),
    localCode: new Array(capacity),
    mappedCode: new Array(capacity),
    itemName: new Array(capacity),
    item: new Int32Array(capacity),
    category: new Uint8Array(capacity),
    quantity: new Float64Array(capacity),
    unitPriceFen: new Float64Array(capacity),
    amountFen: new Float64Array(capacity),
    doctorId: new Array(capacity),
    departmentId: new Array(capacity),
    chargedAt: new Array(capacity),
    tMin: new Int32Array(capacity),
  };
}

/** Append one line (from any row shape) to columns; resolves the item index and the code mapping. */
/** The national code a line's hospital-local code maps to in its institution ('' without a local code or mapping). */
export function mappedCodeOf(plan: AuditPlan, l: SettlementLine): string {
  return l.localCode === '' ? '' : (plan.localMap.get(`${l.institutionId}\u0001${l.localCode}`) ?? '');
}

export function pushLine(plan: AuditPlan, c: LineColumns, l: SettlementLine): void {
  const i = c.length++;
  c.id[i] = l.id;
  c.encounterId[i] = l.encounterId;
  c.institutionId[i] = l.institutionId;
  c.itemCode[i] = l.itemCode;
  c.localCode[i] = l.localCode;
  c.mappedCode[i] = mappedCodeOf(plan, l);
  c.itemName[i] = l.itemName;
  c.item[i] = plan.codeIndex.get(l.itemCode) ?? -1;
  c.category[i] = CHARGE_CATEGORIES.indexOf(l.category);
  c.quantity[i] = l.quantity;
  c.unitPriceFen[i] = l.unitPriceFen;
  c.amountFen[i] = l.amountFen;
  c.doctorId[i] = l.doctorId;
  c.departmentId[i] = l.departmentId;
  c.chargedAt[i] = l.chargedAt;
  c.tMin[i] = minuteOf(l.chargedAt);
}

/** Columns of a list of lines (tests, pre-order checks, small batches). */
export function toColumns(plan: AuditPlan, lines: readonly SettlementLine[]): LineColumns {
  const c = allocColumns(lines.length);
  for (const l of lines) pushLine(plan, c, l);
  return c;
}
