/**
 * TEST SUPPORT ONLY — a small deterministic stream evaluator with windowed state per doctor, item and
 * encounter, used to test the monitor's restart safety independently of the audit engine. The CLI
 * always uses the audit engine's real `createStreamEvaluator`.
 */
import type { SettlementLine } from '../../domain/index.js';
import type { StreamAlert, StreamEvaluatorLike } from '../types.js';

interface State {
  /** doctor|item → recent prescriptions (within the window) */
  recent: Record<string, { t: number; enc: string; line: string }[]>;
  /** doctor|item → end time of the last burst already alerted */
  burstUntil: Record<string, number>;
  /** encounter|item|day → quantity so far */
  dayQty: Record<string, number>;
}

const WINDOW_MS = 60 * 60_000;
const BURST_PATIENTS = 3;
const DAY_QTY_MAX = 5;
const AMOUNT_MAX_FEN = 100_000;

function base(l: SettlementLine): Omit<StreamAlert, 'ruleId' | 'lineIds' | 'amountFen' | 'message' | 'evidence' | 'alertKey'> {
  return {
    ruleVersion: 1,
    resultType: 'suspicious',
    action: 'remind',
    encounterId: l.encounterId,
    institutionId: l.institutionId,
    departmentId: l.departmentId,
    doctorId: l.doctorId,
    triggerLineId: l.id,
  };
}

export function createToyEvaluator(): StreamEvaluatorLike<unknown> {
  let s: State = { recent: {}, burstUntil: {}, dayQty: {} };
  return {
    push(l) {
      const out: StreamAlert[] = [];
      const t = Date.parse(`${l.chargedAt}Z`);
      if (l.amountFen > AMOUNT_MAX_FEN) {
        out.push({ ...base(l), ruleId: 'TOY-AMOUNT', lineIds: [l.id], amountFen: l.amountFen, message: '单行金额超限', evidence: { amountFen: l.amountFen }, alertKey: l.id });
      }
      const dq = `${l.encounterId}|${l.itemCode}|${l.chargedAt.slice(0, 10)}`;
      const before = s.dayQty[dq] ?? 0;
      const after = before + l.quantity;
      s.dayQty[dq] = after;
      if (before <= DAY_QTY_MAX && after > DAY_QTY_MAX) {
        out.push({ ...base(l), ruleId: 'TOY-DAY-QTY', lineIds: [l.id], amountFen: l.amountFen, message: '单日数量超限', evidence: { quantity: after }, alertKey: dq });
      }
      if (l.category === 'drug') {
        const k = `${l.doctorId}|${l.itemCode}`;
        const list = (s.recent[k] ?? []).filter((r) => t - r.t <= WINDOW_MS);
        list.push({ t, enc: l.encounterId, line: l.id });
        s.recent[k] = list;
        const patients = new Set(list.map((r) => r.enc));
        if (patients.size >= BURST_PATIENTS && (s.burstUntil[k] ?? -Infinity) < list[0]!.t) {
          s.burstUntil[k] = t;
          out.push({
            ...base(l),
            ruleId: 'TOY-DOCTOR-BURST',
            lineIds: list.map((r) => r.line),
            amountFen: 0,
            message: '医师短时高频开同一药品',
            evidence: { patients: patients.size },
            alertKey: `${k}|${list[0]!.line}`,
          });
        }
      }
      return out;
    },
    snapshot() {
      return structuredClone(s);
    },
    restore(snap) {
      s = structuredClone(snap as State);
    },
  };
}

/** Deterministic synthetic settlement lines (seeded LCG), chargedAt increasing by 1–3 minutes. */
export function toyLines(n: number, seed = 7): SettlementLine[] {
  let x = seed >>> 0;
  const rnd = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const out: SettlementLine[] = [];
  let t = Date.parse('2026-03-01T08:00:00Z');
  for (let i = 0; i < n; i++) {
    t += (1 + Math.floor(rnd() * 3)) * 60_000;
    const drug = rnd() < 0.6;
    const qty = 1 + Math.floor(rnd() * 4);
    const price = Math.floor(rnd() * 40_000) + 100;
    out.push({
      id: `L${String(i).padStart(6, '0')}`,
      encounterId: `E${Math.floor(rnd() * 400)}`,
      institutionId: `I${Math.floor(rnd() * 3)}`,
      localCode: '',
      itemCode: drug ? `XD${Math.floor(rnd() * 6)}` : `S${Math.floor(rnd() * 10)}`,
      itemName: drug ? '测试药品' : '测试项目',
      category: drug ? 'drug' : 'service',
      payClass: 'A',
      quantity: qty,
      unitPriceFen: price,
      amountFen: qty * price,
      doctorId: `P${Math.floor(rnd() * 5)}`,
      departmentId: 'D1',
      chargedAt: new Date(t).toISOString().slice(0, 19),
    });
  }
  return out;
}

const COLS = ['id', 'encounterId', 'institutionId', 'localCode', 'itemCode', 'itemName', 'category', 'payClass', 'quantity', 'unitPriceFen', 'amountFen', 'doctorId', 'departmentId', 'chargedAt'] as const;
export const TOY_CSV_HEADER = COLS.join(',');
export function toCsvRow(l: SettlementLine): string {
  return COLS.map((c) => String(l[c])).join(',');
}
