/**
 * DRG cost-benefit (病种成本效益): per DRG, department and doctor — cases, cost, DRG payment, denied
 * payments (拒付, booked as cost of the department: 违规成本内化) and margin; loss-making DRGs with the
 * cause decomposed against the peer benchmark (LOS, drugs, consumables, examinations); and the cost
 * hint for an order (the item's cost and cheaper equivalents in the catalog).
 */
import { roundFen } from '../domain/index.js';
import type { CatalogItem, ChargeCategory, Fen } from '../domain/index.js';

export interface BenefitCase {
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  /** DRG code, or '' when the case has no group (未入组) */
  readonly drg: string;
  readonly drgName: string;
  readonly losDays: number;
  readonly drugChargeFen: Fen;
  readonly materialChargeFen: Fen;
  readonly examChargeFen: Fen;
  readonly serviceChargeFen: Fen;
  readonly costFen: Fen;
  readonly drugCostFen: Fen;
  readonly materialCostFen: Fen;
  readonly serviceCostFen: Fen;
  /** DRG payment to the hospital for the case (病组支付标准 incl. high/low-multiple rules) */
  readonly paymentFen: Fen;
  /** amount the fund refused (拒付), a cost of the department */
  readonly deniedFen: Fen;
}

export type BenefitDimension = 'drg' | 'department' | 'doctor';

export interface BenefitRow {
  readonly institutionId: string;
  /** the DRG, department or doctor id */
  readonly key: string;
  readonly drg: string;
  readonly drgName: string;
  readonly cases: number;
  readonly costFen: Fen;
  readonly paymentFen: Fen;
  readonly deniedFen: Fen;
  /** payment − cost − denied */
  readonly marginFen: Fen;
  /** margin / payment (null without payment) */
  readonly marginRate: number | null;
  readonly meanLosDays: number;
}

/** Cost-benefit table by DRG (within institution), department or doctor. */
export function drgCostBenefit(cases: readonly BenefitCase[], by: BenefitDimension): BenefitRow[] {
  const acc = new Map<string, { inst: string; key: string; drg: string; name: string; n: number; cost: number; pay: number; den: number; los: number }>();
  for (const c of cases) {
    const key = by === 'drg' ? c.drg : by === 'department' ? c.departmentId : c.doctorId;
    const k = `${c.institutionId}|${key}|${by === 'drg' ? '' : c.drg}`;
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { inst: c.institutionId, key, drg: c.drg, name: c.drgName, n: 0, cost: 0, pay: 0, den: 0, los: 0 }));
    a.n++;
    a.cost += c.costFen;
    a.pay += c.paymentFen;
    a.den += c.deniedFen;
    a.los += c.losDays;
  }
  return [...acc.values()]
    .map((a) => {
      const margin = a.pay - a.cost - a.den;
      return {
        institutionId: a.inst,
        key: a.key,
        drg: a.drg,
        drgName: a.name,
        cases: a.n,
        costFen: a.cost,
        paymentFen: a.pay,
        deniedFen: a.den,
        marginFen: margin,
        marginRate: a.pay > 0 ? margin / a.pay : null,
        meanLosDays: a.los / a.n,
      };
    })
    .sort((x, y) => x.institutionId.localeCompare(y.institutionId) || x.key.localeCompare(y.key) || x.drg.localeCompare(y.drg));
}

export type LossCause = 'los' | 'drugs' | 'consumables' | 'examinations';

export interface LossCauseRow {
  readonly institutionId: string;
  readonly drg: string;
  readonly drgName: string;
  readonly cases: number;
  readonly peerCases: number;
  readonly meanMarginFen: number;
  /** own vs peer mean per case */
  readonly own: Readonly<Record<LossCause, number>>;
  readonly peer: Readonly<Record<LossCause, number>>;
  /** cost effect per case of each gap (fen, + = costs more than peers) */
  readonly effectFen: Readonly<Record<LossCause, number>>;
  /** the cause with the largest positive effect, or 'payment' when every gap is ≤ 0 (the group pays too little) */
  readonly mainCause: LossCause | 'payment';
}

/**
 * For each loss-making (institution, DRG), compare its mean LOS and drug / consumable / examination
 * charges per case with the peer benchmark (the same DRG in the other institutions; all institutions
 * when there is no other) and turn each gap into cost per case:
 *   LOS:          Δ bed-days × own service cost per bed-day
 *   drugs:        Δ drug charges × own drug cost-to-charge ratio
 *   consumables:  Δ consumable charges × own material cost-to-charge ratio
 *   examinations: Δ examination charges × own service cost-to-charge ratio
 */
export function decomposeLosses(cases: readonly BenefitCase[]): LossCauseRow[] {
  interface Acc { n: number; los: number; drug: number; mat: number; exam: number; svcCharge: number; cost: number; drugCost: number; matCost: number; svcCost: number; pay: number; den: number; name: string }
  const blank = (name: string): Acc => ({ n: 0, los: 0, drug: 0, mat: 0, exam: 0, svcCharge: 0, cost: 0, drugCost: 0, matCost: 0, svcCost: 0, pay: 0, den: 0, name });
  const cell = new Map<string, Acc>();
  const drgAll = new Map<string, Acc>();
  const push = (a: Acc, c: BenefitCase): void => {
    a.n++;
    a.los += c.losDays;
    a.drug += c.drugChargeFen;
    a.mat += c.materialChargeFen;
    a.exam += c.examChargeFen;
    a.svcCharge += c.serviceChargeFen;
    a.cost += c.costFen;
    a.drugCost += c.drugCostFen;
    a.matCost += c.materialCostFen;
    a.svcCost += c.serviceCostFen;
    a.pay += c.paymentFen;
    a.den += c.deniedFen;
  };
  for (const c of cases) {
    if (!c.drg) continue;
    const k = `${c.institutionId}|${c.drg}`;
    let a = cell.get(k);
    if (!a) cell.set(k, (a = blank(c.drgName)));
    push(a, c);
    let d = drgAll.get(c.drg);
    if (!d) drgAll.set(c.drg, (d = blank(c.drgName)));
    push(d, c);
  }
  const out: LossCauseRow[] = [];
  for (const [k, a] of cell) {
    const margin = a.pay - a.cost - a.den;
    if (margin >= 0) continue;
    const [inst, drg] = k.split('|') as [string, string];
    const all = drgAll.get(drg)!;
    const others = all.n > a.n;
    const pn = others ? all.n - a.n : all.n;
    const peerOf = (own: number, total: number): number => (others ? (total - own) / pn : total / pn);
    const own = { los: a.los / a.n, drugs: a.drug / a.n, consumables: a.mat / a.n, examinations: a.exam / a.n };
    const peer = {
      los: peerOf(a.los, all.los),
      drugs: peerOf(a.drug, all.drug),
      consumables: peerOf(a.mat, all.mat),
      examinations: peerOf(a.exam, all.exam),
    };
    const perDay = a.los > 0 ? a.svcCost / a.los : 0;
    const ratio = (cost: number, charge: number): number => (charge > 0 ? cost / charge : 1);
    const effectFen = {
      los: (own.los - peer.los) * perDay,
      drugs: (own.drugs - peer.drugs) * ratio(a.drugCost, a.drug),
      consumables: (own.consumables - peer.consumables) * ratio(a.matCost, a.mat),
      examinations: (own.examinations - peer.examinations) * ratio(a.svcCost, a.svcCharge),
    };
    let main: LossCause | 'payment' = 'payment';
    let best = 0;
    for (const c of ['los', 'drugs', 'consumables', 'examinations'] as const) {
      if (effectFen[c] > best) {
        best = effectFen[c];
        main = c;
      }
    }
    out.push({ institutionId: inst, drg, drgName: a.name, cases: a.n, peerCases: pn, meanMarginFen: margin / a.n, own, peer, effectFen, mainCause: main });
  }
  return out.sort((x, y) => x.meanMarginFen * x.cases - y.meanMarginFen * y.cases);
}

/** Denied payment (拒付) of one encounter, booked to the department that treated it. */
export interface Denial {
  readonly encounterId: string;
  readonly amountFen: Fen;
  readonly reason: string;
}

/** Sum denials per encounter (违规成本内化: the department bears the refused amount as cost). */
export function deniedByEncounter(denials: readonly Denial[]): Map<string, Fen> {
  const m = new Map<string, Fen>();
  for (const d of denials) {
    if (!Number.isSafeInteger(d.amountFen) || d.amountFen < 0) throw new RangeError(`denial of ${d.encounterId}: amountFen must be a non-negative integer, got ${d.amountFen}`);
    m.set(d.encounterId, (m.get(d.encounterId) ?? 0) + d.amountFen);
  }
  return m;
}

// ── cost hint ──

export interface CostHintOption {
  readonly code: string;
  readonly name: string;
  /** unit cost from item costing where known, else the price cap (drugs and materials: 零加成, cost ≈ price) */
  readonly unitCostFen: number;
  readonly basis: 'item-cost' | 'price-cap';
  readonly savingPerUnitFen: number;
}

export interface CostHint {
  readonly code: string;
  readonly name: string;
  readonly category: ChargeCategory;
  readonly unitCostFen: number | null;
  readonly basis: 'item-cost' | 'price-cap' | 'unknown';
  readonly orderCostFen: Fen | null;
  /** cheaper equivalents (same category and equivalence key), cheapest first */
  readonly cheaper: readonly CostHintOption[];
}

export type CostHinter = (itemCode: string, quantity: number, onDate: string) => CostHint | undefined;

/**
 * Build the cost-hint function: `hint(code, qty, date)` gives the item's cost for the order and
 * up to `limit` cheaper equivalents — catalog items of the same category whose code shares the
 * equivalence key (for drugs, 医保药品代码 up to the dosage form: same generic, same form).
 */
export function compileCostHints(
  catalog: readonly CatalogItem[],
  unitCosts: ReadonlyMap<string, { unitCostFen: number }>,
  keyLength: Readonly<Record<ChargeCategory, number>>,
  limit = 5,
): CostHinter {
  const byCode = new Map(catalog.map((c) => [c.code, c]));
  const byKey = new Map<string, CatalogItem[]>();
  for (const c of catalog) {
    const k = `${c.category}|${c.code.slice(0, keyLength[c.category])}`;
    let l = byKey.get(k);
    if (!l) byKey.set(k, (l = []));
    l.push(c);
  }
  const costOf = (c: CatalogItem): { fen: number; basis: 'item-cost' | 'price-cap' } | undefined => {
    const u = unitCosts.get(c.code);
    if (u && Number.isFinite(u.unitCostFen)) return { fen: u.unitCostFen, basis: 'item-cost' };
    if (c.priceCapFen > 0) return { fen: c.priceCapFen, basis: 'price-cap' };
    return undefined;
  };
  return (itemCode, quantity, onDate) => {
    const item = byCode.get(itemCode);
    if (!item) return undefined;
    const own = costOf(item);
    const peers = byKey.get(`${item.category}|${item.code.slice(0, keyLength[item.category])}`) ?? [];
    const cheaper: CostHintOption[] = [];
    if (own) {
      for (const p of peers) {
        if (p.code === item.code || p.effectiveFrom > onDate || p.effectiveTo < onDate) continue;
        const pc = costOf(p);
        if (pc && pc.fen < own.fen) cheaper.push({ code: p.code, name: p.name, unitCostFen: pc.fen, basis: pc.basis, savingPerUnitFen: own.fen - pc.fen });
      }
      cheaper.sort((a, b) => a.unitCostFen - b.unitCostFen || a.code.localeCompare(b.code));
    }
    return {
      code: item.code,
      name: item.name,
      category: item.category,
      unitCostFen: own?.fen ?? null,
      basis: own?.basis ?? 'unknown',
      orderCostFen: own ? roundFen(own.fen * quantity) : null,
      cheaper: cheaper.slice(0, limit),
    };
  };
}
