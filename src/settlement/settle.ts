/**
 * Patient settlement of one encounter (模拟结算 / 结算): splits every fen between the basic pooled fund
 * (统筹基金), the second tier (大额/大病), medical assistance (医疗救助), the individual account (个人账户)
 * and cash, following shared/notes/settlement.md §2.3:
 *
 *   S = Σ in-scope → deductible D (level, admission number, YTD) → bands (共付段) → fund cap (封顶线)
 *     → tier 2 on its yearly base → tier 3 on what the person still bears in scope → account → cash.
 *
 * Rounding (docs/formulas.md § Settlement): 先行自付 half-up per line; each fund result half-up once
 * (band pieces are summed exactly in fen × basis points and rounded once); per-line shares of the fund
 * by largest remainder so lines add up exactly.
 */
import { issue, roundFen } from '../domain/index.js';
import type { BenefitType, EncounterKind, Fen, InstitutionLevel, Issue, PersonType, Scheme, Sex } from '../domain/index.js';
import { forYear } from './accumulators.js';
import type { YearToDate } from './accumulators.js';
import { classifyLine } from './classify.js';
import type { CatalogLookup, LineInput, LineReason, LineSplit } from './classify.js';
import { pickRule } from './policy.js';
import type { AssistanceCategory, Band, Policy, SchemePolicy, Tier2 } from './policy.js';

/** What the engine needs of an encounter (an Encounter satisfies it). */
export interface EncounterInput {
  readonly id: string;
  readonly kind: EncounterKind;
  readonly benefitType: BenefitType;
  readonly scheme: Scheme;
  readonly sex: Sex;
  readonly ageYears: number;
  readonly dischargeDate: string;
  readonly diagnoses: readonly string[];
}

export interface SettleInput {
  readonly encounter: EncounterInput;
  readonly lines: readonly LineInput[];
  readonly institutionLevel: InstitutionLevel;
  readonly personType: PersonType;
  /** 医疗救助 category of the person, if any */
  readonly assistanceCategory?: AssistanceCategory | undefined;
  /** pay the person's part from the individual account first (acct_used_flag) */
  readonly useAccount?: boolean | undefined;
}

export const SETTLEMENT_PATHS = ['inpatient', 'outpatient', 'chronic-special', 'not-covered'] as const;
export type SettlementPath = (typeof SETTLEMENT_PATHS)[number];

export interface LineResult {
  readonly lineId: string;
  readonly amountFen: Fen;
  readonly fullSelfPayFen: Fen;
  readonly overLimitFen: Fen;
  readonly preSelfPayFen: Fen;
  readonly inScopeFen: Fen;
  /** all funds together (basic + tier 2 + assistance) attributed to this line */
  readonly fundFen: Fen;
  /** amountFen − fundFen */
  readonly patientFen: Fen;
  readonly reason: LineReason;
}

export interface SettlementResult {
  readonly encounterId: string;
  readonly policyId: string;
  readonly scheme: Scheme;
  readonly path: SettlementPath;
  /** 医疗费总额 medfee_sumamt */
  readonly totalFen: Fen;
  /** 全自费 fulamt_ownpay_amt */
  readonly fullSelfPayFen: Fen;
  /** 超限价自费 overlmt_selfpay */
  readonly overLimitFen: Fen;
  /** 先行自付 preselfpay_amt */
  readonly preSelfPayFen: Fen;
  /** 符合政策范围 inscp_scp_amt */
  readonly inScopeFen: Fen;
  /** 实际支付起付线 act_pay_dedc */
  readonly deductibleFen: Fen;
  /** 共付段个人负担 (in-scope cost above the deductible that the fund's share leaves to the person) */
  readonly coPayFen: Fen;
  /** in-scope cost the basic fund did not pay because of its cap (封顶线以上) */
  readonly aboveCapFen: Fen;
  /** 统筹基金支出 hifp_pay */
  readonly fundFen: Fen;
  /** 大额/大病 hifob_pay / hifmi_pay */
  readonly tier2Fen: Fen;
  /** 医疗救助 maf_pay */
  readonly assistanceFen: Fen;
  /** 基金支付总额 fund_pay_sumamt */
  readonly fundTotalFen: Fen;
  /** 个人负担总金额 psn_part_amt */
  readonly patientFen: Fen;
  /** 个人账户支出 acct_pay */
  readonly accountFen: Fen;
  /** 个人现金支出 psn_cash_pay */
  readonly cashFen: Fen;
  /** effective fund share of the in-scope cost in basis points, for display */
  readonly lines: readonly LineResult[];
  readonly issues: readonly Issue[];
  /** the person's accumulators after this settlement */
  readonly ytd: YearToDate;
}

/** Settle one encounter. Pure: no I/O, no clock; `ytd` is the person's accumulators before it. */
export function settle(input: SettleInput, policy: Policy, ytdIn: YearToDate | undefined, catalog: CatalogLookup): SettlementResult {
  const enc = input.encounter;
  const year = Number(enc.dischargeDate.slice(0, 4));
  const ytd0 = forYear(ytdIn, year);
  const issues: Issue[] = [];
  const level = input.institutionLevel;
  const ctx = { sex: enc.sex, ageYears: enc.ageYears, level, diagnoses: enc.diagnoses, benefitType: enc.benefitType };

  // 1. lines (LineResult objects are filled now, their fund shares at the end)
  const n = input.lines.length;
  const lines = new Array<MutableLine>(n);
  // fixed-rate lines exist only when the policy has item rules with a fixed share; skip the array otherwise
  const fixedRate: number[] | undefined = policy.lines.itemRules.length ? new Array<number>(n) : undefined;
  const scratch = SCRATCH;
  let total = 0, fullSelf = 0, overLimit = 0, preSelf = 0, inScope = 0, poolS = 0, fixedFund = 0;
  for (let i = 0; i < n; i++) {
    const line = input.lines[i]!;
    const item = catalog(line.itemCode);
    if (!item && line.payClass !== 'C') {
      issues.push(issue('item-not-in-catalog', `lines[${i}].itemCode`, `item ${line.itemCode} (line ${line.id}) is not in the catalog; settled by the line's class ${line.payClass}`, 'warning'));
    }
    const s = classifyLine(line, item, ctx, policy, scratch);
    lines[i] = { lineId: line.id, amountFen: line.amountFen, fullSelfPayFen: s.fullSelfPayFen, overLimitFen: s.overLimitFen, preSelfPayFen: s.preSelfPayFen, inScopeFen: s.inScopeFen, fundFen: 0, patientFen: line.amountFen, reason: s.reason };
    if (fixedRate) fixedRate[i] = s.fixedFundRateBp;
    total += line.amountFen;
    fullSelf += s.fullSelfPayFen;
    overLimit += s.overLimitFen;
    preSelf += s.preSelfPayFen;
    inScope += s.inScopeFen;
    if (s.fixedFundRateBp >= 0) fixedFund += roundFen((s.inScopeFen * s.fixedFundRateBp) / 10000);
    else poolS += s.inScopeFen;
  }

  // 2. path
  const sp: SchemePolicy | undefined = policy.schemes[enc.scheme];
  let path: SettlementPath;
  if (!sp) {
    issues.push(issue('scheme-not-in-policy', 'encounter.scheme', `policy ${policy.id} has no rules for scheme ${enc.scheme}; nothing paid by the fund`));
    path = 'not-covered';
  } else if (policy.notCoveredBenefits.includes(enc.benefitType)) {
    issues.push(cached(policy, `bnc:${enc.benefitType}`, () => issue('benefit-not-covered', 'encounter.benefitType', `benefit type ${enc.benefitType} is paid by its own fund (工伤/生育), not by the basic scheme of ${policy.id}`, 'info')));
    path = 'not-covered';
  } else if (enc.kind === 'inpatient') path = 'inpatient';
  else if (enc.benefitType === 'chronic-special') path = 'chronic-special';
  else path = 'outpatient';

  let ded = 0, fund = 0, aboveCap = 0, tier2Base = 0, admissions = ytd0.admissions;
  // one mutable copy of the accumulators per settlement (the caller's value is never changed)
  const y: { -readonly [K in keyof YearToDate]: YearToDate[K] } = { ...ytd0 };
  if (path === 'chronic-special') {
    const principal = enc.diagnoses[0] ?? '';
    const rule = sp!.chronicSpecial.find((r) => r.diagnosisPrefixes.some((p) => principal.startsWith(p)));
    if (!rule) {
      issues.push(issue('not-chronic-disease', 'encounter.diagnoses[0]', `principal diagnosis ${principal} is not a recognised 门诊慢特病 in ${policy.id}; settled as a general outpatient visit`, 'warning'));
      path = 'outpatient';
    } else {
      const rate = rule.fundRateBp[level];
      if (rate === undefined) {
        issues.push(levelIssue(policy, level, 'chronicSpecial'));
        fixedFund = 0;
      } else {
        ded = Math.min(poolS, Math.max(0, rule.yearlyDeductibleFen - y.chronicDeductibleFen));
        fund = roundFen(((poolS - ded) * rate) / 10000);
        const room = rule.yearlyFundCapFen === null ? Infinity : Math.max(0, rule.yearlyFundCapFen - y.chronicFundFen - fixedFund);
        if (fund > room) { aboveCap = fund - room; fund = room; }
        y.chronicDeductibleFen += ded;
        y.chronicFundFen += fund + fixedFund;
      }
    }
  }
  if (path === 'outpatient') {
    const rule = pickRule(sp!.outpatient, input.personType);
    const rate = rule?.bands ? (rule.bands.every((b) => b.fundRateBp[level] !== undefined) ? 0 : undefined) : rule?.fundRateBp[level];
    if (!rule || rate === undefined) {
      if (!rule) issues.push(cached(policy, `nop:${enc.scheme}:${input.personType}`, () => issue('no-outpatient-pooling', 'encounter.kind', `policy ${policy.id} has no 门诊统筹 rule for ${enc.scheme}/${input.personType}; the visit is paid by the person (account or cash)`, 'info')));
      else issues.push(levelIssue(policy, level, 'outpatient'));
      fixedFund = 0;
    } else {
      ded = Math.min(poolS, Math.max(0, rule.yearlyDeductibleFen - y.outpatientDeductibleFen));
      const base = y.outpatientEligibleFen;
      fund = rule.bands ? bandPay(rule.bands, level, base + ded, base + poolS) : roundFen(((poolS - ded) * rate) / 10000);
      const room = rule.yearlyFundCapFen === null ? Infinity : Math.max(0, rule.yearlyFundCapFen - y.outpatientFundFen - fixedFund);
      if (fund > room) { aboveCap = fund - room; fund = room; }
      y.outpatientDeductibleFen += ded;
      y.outpatientEligibleFen = base + poolS;
      y.outpatientFundFen += fund + fixedFund;
    }
  } else if (path === 'inpatient') {
    const rule = pickRule(sp!.inpatient, input.personType);
    if (!rule) {
      issues.push(issue('no-inpatient-rule', 'personType', `policy ${policy.id} has no inpatient rule for ${enc.scheme}/${input.personType}`));
      fixedFund = 0;
    } else if (rule.deductible.byLevelFen[level] === undefined || rule.bands.some((b) => b.fundRateBp[level] === undefined)) {
      issues.push(levelIssue(policy, level, `inpatient (${rule.label})`));
      fixedFund = 0;
    } else {
      admissions += 1;
      // 起付线: first admission's amount, lowered for later admissions, within the yearly cap, exemptions.
      const first = rule.deductible.byLevelFen[level]!;
      let dRule = first;
      for (const later of rule.deductible.laterAdmissions) {
        if (admissions >= later.fromAdmission) {
          dRule = later.fixedFen !== undefined ? later.fixedFen : roundFen((first * (later.permilleOfFirst ?? 1000)) / 1000);
        }
      }
      if (rule.deductible.exemptFromAgeYears !== null && enc.ageYears >= rule.deductible.exemptFromAgeYears) dRule = 0;
      if (rule.deductible.yearlyCapFen !== null) dRule = Math.min(dRule, Math.max(0, rule.deductible.yearlyCapFen - y.inpatientDeductibleFen));
      // 封顶线 on cost: only the eligible cost below the yearly cap enters the fund's logic.
      let admitted = poolS;
      const cap = rule.fundCap;
      if (cap && cap.basis === 'cost') admitted = Math.min(poolS, Math.max(0, cap.amountFen - y.inpatientEligibleFen));
      ded = Math.min(admitted, dRule);
      const base = rule.bandBasis === 'ytd-cost' ? y.inpatientEligibleFen : 0;
      fund = bandPay(rule.bands, level, base + ded, base + admitted);
      aboveCap = poolS - admitted;
      if (cap && cap.basis === 'fund') {
        const room = Math.max(0, cap.amountFen - y.inpatientFundFen);
        if (fund > room) { aboveCap += fund - room; fund = room; }
      }
      y.admissions = admissions;
      y.inpatientDeductibleFen += ded;
      y.inpatientEligibleFen += admitted;
      y.inpatientFundFen += fund + fixedFund;
    }
  }
  if (path === 'not-covered') fixedFund = 0;

  // in-scope personal part left by the basic fund, split into deductible, co-pay and above-cap
  const coPay = path === 'not-covered' ? 0 : poolS - ded - fund - aboveCap;
  let tier2 = 0;
  const t2: Tier2 | undefined = sp ? pickRule(sp.tier2, input.personType) : undefined;
  if (t2 && path !== 'not-covered' && t2.appliesTo.includes(path)) {
    tier2Base = t2.base === 'personal-copay' ? ded + coPay + aboveCap : aboveCap;
    const q0 = y.tier2BaseFen;
    const q1 = q0 + tier2Base;
    tier2 = tier2Pay(t2, q0, q1);
    if (t2.yearlyCapFen !== null) tier2 = Math.min(tier2, Math.max(0, t2.yearlyCapFen - y.tier2PaidFen));
    y.tier2BaseFen = q1;
    y.tier2PaidFen += tier2;
  }
  let assistance = 0;
  const as = sp?.assistance;
  if (as && path !== 'not-covered' && input.assistanceCategory && as.eligibleCategories.includes(input.assistanceCategory)) {
    let remaining = ded + coPay + aboveCap - tier2;
    for (const step of as.steps) {
      if (remaining <= step.thresholdFen) continue;
      const pay = roundFen(((remaining - step.thresholdFen) * step.rateBp) / 10000);
      assistance += pay;
      remaining -= pay;
    }
    if (as.yearlyCapFen !== null) assistance = Math.min(assistance, Math.max(0, as.yearlyCapFen - y.assistancePaidFen));
    y.assistancePaidFen += assistance;
  }

  const poolFunds = fund + tier2 + assistance;
  const fundTotal = poolFunds + fixedFund;
  const patient = total - fundTotal;
  let account = 0;
  if (input.useAccount && sp?.account && y.accountBalanceFen > 0) {
    const payable = sp.account.paysFullSelfPay ? patient : patient - fullSelf - overLimit;
    account = Math.max(0, Math.min(y.accountBalanceFen, payable));
    y.accountBalanceFen -= account;
  }

  // per-line attribution: the pooled funds by in-scope weight, fixed-rate lines by their own share
  if (poolFunds > 0) sharePoolInto(poolFunds, lines, fixedRate, poolS);
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    const fr = fixedRate ? fixedRate[i]! : -1;
    if (fr >= 0) l.fundFen = path === 'not-covered' || fixedFund === 0 ? 0 : roundFen((l.inScopeFen * fr) / 10000);
    l.patientFen = l.amountFen - l.fundFen;
  }

  return {
    encounterId: enc.id,
    policyId: policy.id,
    scheme: enc.scheme,
    path,
    totalFen: total,
    fullSelfPayFen: fullSelf,
    overLimitFen: overLimit,
    preSelfPayFen: preSelf,
    inScopeFen: inScope,
    deductibleFen: ded,
    coPayFen: coPay,
    aboveCapFen: aboveCap,
    fundFen: fund + fixedFund,
    tier2Fen: tier2,
    assistanceFen: assistance,
    fundTotalFen: fundTotal,
    patientFen: patient,
    accountFen: account,
    cashFen: patient - account,
    lines,
    issues,
    ytd: y,
  };
}

/** Σ over bands of (overlap of [from, to) with the band) × rate, exact in fen·bp, rounded once half-up. */
export function bandPay(bands: readonly Band[], level: InstitutionLevel, from: Fen, to: Fen): Fen {
  if (to <= from) return 0;
  let lo = 0;
  let acc = 0;
  for (const b of bands) {
    const hi = b.upToFen === null ? Infinity : b.upToFen;
    const a = Math.max(lo, from);
    const z = Math.min(hi, to);
    if (z > a) acc += (z - a) * (b.fundRateBp[level] ?? 0);
    lo = hi;
    if (lo >= to) break;
  }
  return roundFen(acc / 10000);
}

function tier2Pay(t2: Tier2, q0: Fen, q1: Fen): Fen {
  const from = Math.max(q0, t2.yearlyDeductibleFen);
  if (q1 <= from) return 0;
  let lo = 0;
  let acc = 0;
  for (const b of t2.bands) {
    const hi = b.upToFen === null ? Infinity : b.upToFen;
    const a = Math.max(lo, from);
    const z = Math.min(hi, q1);
    if (z > a) acc += (z - a) * b.rateBp;
    lo = hi;
    if (lo >= q1) break;
  }
  return roundFen(acc / 10000);
}

type MutableLine = { -readonly [K in keyof LineResult]: LineResult[K] };

// settle() is synchronous and classifyLine's result is copied at once, so one scratch object serves all calls
const SCRATCH: LineSplit = { payClass: 'A', fullSelfPayFen: 0, overLimitFen: 0, preSelfPayFen: 0, inScopeFen: 0, fixedFundRateBp: -1, reason: 'in-scope' };

let REM = new Float64Array(64);

/**
 * Write each pool line's share of `amount` into its fundFen: largest remainder over the in-scope
 * amounts (same result as allocateLargestRemainder — ties to the earlier line), in place and without
 * a sort because it runs for every encounter: the leftover is < the number of lines.
 */
function sharePoolInto(amount: Fen, lines: MutableLine[], fixedRate: readonly number[] | undefined, poolS: Fen): void {
  const n = lines.length;
  if (REM.length < n) REM = new Float64Array(Math.max(n, REM.length * 2));
  let assigned = 0, eligible = 0, last = -1;
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    if ((fixedRate ? fixedRate[i]! : -1) >= 0 || l.inScopeFen <= 0) { REM[i] = -2; continue; }
    eligible++;
    last = i;
    if (amount === poolS) { l.fundFen = l.inScopeFen; REM[i] = -2; assigned += l.inScopeFen; continue; }
    const exact = amount * (l.inScopeFen / poolS); // ratio first: the product stays ≤ amount (no 2^53 overflow)
    const f = Math.floor(exact);
    l.fundFen = f;
    REM[i] = exact - f;
    assigned += f;
  }
  if (eligible === 1) { lines[last]!.fundFen = amount; return; }
  // binary noise can push a floor one fen over: take it back from the largest part
  for (let over = assigned - amount; over > 0; over--) {
    let big = -1;
    for (let i = 0; i < n; i++) if (REM[i]! > -2 && (big < 0 || lines[i]!.fundFen > lines[big]!.fundFen)) big = i;
    lines[big]!.fundFen -= 1;
    assigned--;
  }
  for (let left = amount - assigned; left > 0; left--) {
    let best = -1;
    for (let i = 0; i < n; i++) if (REM[i]! > -1 && (best < 0 || REM[i]! > REM[best]!)) best = i;
    if (best < 0) break;
    lines[best]!.fundFen += 1;
    REM[best] = -1.5;
  }
}

// Issues that repeat for every encounter of a kind are built once per policy (they are immutable).
const ISSUE_CACHE = new WeakMap<Policy, Map<string, Issue>>();
function cached(policy: Policy, key: string, make: () => Issue): Issue {
  let m = ISSUE_CACHE.get(policy);
  if (!m) ISSUE_CACHE.set(policy, (m = new Map()));
  let i = m.get(key);
  if (!i) m.set(key, (i = make()));
  return i;
}

function levelIssue(policy: Policy, level: InstitutionLevel, part: string): Issue {
  return cached(policy, `lvl:${level}:${part}`, () => levelIssueOf(policy, level, part));
}

function levelIssueOf(policy: Policy, level: InstitutionLevel, part: string): Issue {
  return issue('level-not-in-policy', 'institutionLevel', `policy ${policy.id} publishes no ${part} parameters for institution level ${level}; nothing paid by the fund`);
}
