/**
 * Version impact (新旧版本对比): the same history grouped under two schemes — how cases move
 * between DRGs and, when payments are given, the payment impact per hospital and department.
 * An accumulator, so a stream of any length is counted in constant memory per DRG pair.
 */
import type { Fen } from '../domain/index.js';

export interface CompareCase {
  readonly institutionId?: string;
  readonly departmentId?: string;
  readonly a: { readonly status: string; readonly drg: string };
  readonly b: { readonly status: string; readonly drg: string };
  /** payment under each scheme (fen), when weights and rates are known */
  readonly paymentAFen?: Fen;
  readonly paymentBFen?: Fen;
}

interface Money {
  cases: number;
  paymentAFen: number;
  paymentBFen: number;
}

export interface CompareReport {
  readonly schemeA: string;
  readonly schemeB: string;
  readonly cases: number;
  /** cases whose status changed (e.g. SUCCESS → QY) */
  readonly statusChanged: number;
  readonly statusMatrix: readonly { readonly from: string; readonly to: string; readonly cases: number }[];
  /** DRG → DRG moves, most frequent first */
  readonly moves: readonly { readonly from: string; readonly to: string; readonly cases: number }[];
  /** distinct DRGs used under each scheme */
  readonly drgsA: number;
  readonly drgsB: number;
  readonly payment?: {
    readonly totalAFen: Fen;
    readonly totalBFen: Fen;
    readonly byInstitution: readonly ({ readonly key: string } & Money)[];
    readonly byDepartment: readonly ({ readonly key: string } & Money)[];
  };
}

/**
 * Accumulate cases grouped under two schemes; `report()` summarises.
 *
 * @example
 * const cmp = compareSchemes('chs-drg-1.1', 'chs-drg-2.0');
 * for (const c of cases) cmp.add({ a: group(c, s11), b: group(c, s20) });
 * cmp.report().moves.slice(0, 10);
 */
export function compareSchemes(schemeA: string, schemeB: string) {
  let cases = 0;
  let statusChanged = 0;
  let withPayment = 0;
  const status = new Map<string, number>();
  const moves = new Map<string, number>();
  const drgsA = new Set<string>();
  const drgsB = new Set<string>();
  const byInst = new Map<string, Money>();
  const byDept = new Map<string, Money>();
  const addMoney = (m: Map<string, Money>, key: string, a: number, b: number) => {
    let x = m.get(key);
    if (!x) m.set(key, (x = { cases: 0, paymentAFen: 0, paymentBFen: 0 }));
    x.cases++;
    x.paymentAFen += a;
    x.paymentBFen += b;
  };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const split = (m: Map<string, number>) =>
    [...m.entries()]
      .map(([k, n]) => {
        const [from, to] = k.split('\u0000') as [string, string];
        return { from, to, cases: n };
      })
      .sort((x, y) => y.cases - x.cases || (x.from + x.to < y.from + y.to ? -1 : 1));
  return {
    add(c: CompareCase): void {
      cases++;
      if (c.a.status !== c.b.status) statusChanged++;
      bump(status, `${c.a.status}\u0000${c.b.status}`);
      bump(moves, `${c.a.drg}\u0000${c.b.drg}`);
      drgsA.add(c.a.drg);
      drgsB.add(c.b.drg);
      if (c.paymentAFen !== undefined && c.paymentBFen !== undefined) {
        withPayment++;
        addMoney(byInst, c.institutionId ?? '', c.paymentAFen, c.paymentBFen);
        addMoney(byDept, `${c.institutionId ?? ''}/${c.departmentId ?? ''}`, c.paymentAFen, c.paymentBFen);
      }
    },
    report(): CompareReport {
      const rows = (m: Map<string, Money>) =>
        [...m.entries()].map(([key, v]) => ({ key, ...v })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const inst = rows(byInst);
      return {
        schemeA,
        schemeB,
        cases,
        statusChanged,
        statusMatrix: split(status),
        moves: split(moves),
        drgsA: drgsA.size,
        drgsB: drgsB.size,
        ...(withPayment > 0
          ? {
              payment: {
                totalAFen: inst.reduce((a, r) => a + r.paymentAFen, 0),
                totalBFen: inst.reduce((a, r) => a + r.paymentBFen, 0),
                byInstitution: inst,
                byDepartment: rows(byDept),
              },
            }
          : {}),
      };
    },
  };
}
