import type { Fen } from '../domain/index.js';

/**
 * Year-to-date accumulators of one insured person (年度累计): what earlier settlements of the same
 * calendar year already used. settle() never mutates one; it returns the next value.
 */
export interface YearToDate {
  readonly year: number;
  /** inpatient admissions settled this year (住院次数) */
  readonly admissions: number;
  /** inpatient deductibles paid this year (已付起付线) */
  readonly inpatientDeductibleFen: Fen;
  /** in-scope inpatient cost admitted this year (年度累计政策范围内费用) */
  readonly inpatientEligibleFen: Fen;
  /** basic fund paid for inpatient care this year (统筹基金年度累计支付) */
  readonly inpatientFundFen: Fen;
  readonly outpatientDeductibleFen: Fen;
  /** in-scope outpatient cost admitted this year (for outpatient bands) */
  readonly outpatientEligibleFen: Fen;
  readonly outpatientFundFen: Fen;
  readonly chronicDeductibleFen: Fen;
  readonly chronicFundFen: Fen;
  /** second-tier base accumulated this year (大病/大额 累计合规费用) and what it paid */
  readonly tier2BaseFen: Fen;
  readonly tier2PaidFen: Fen;
  readonly assistancePaidFen: Fen;
  /** individual account balance (个人账户余额); carried across years */
  readonly accountBalanceFen: Fen;
}

export function emptyYearToDate(year: number, accountBalanceFen: Fen = 0): YearToDate {
  return {
    year,
    admissions: 0,
    inpatientDeductibleFen: 0,
    inpatientEligibleFen: 0,
    inpatientFundFen: 0,
    outpatientDeductibleFen: 0,
    outpatientEligibleFen: 0,
    outpatientFundFen: 0,
    chronicDeductibleFen: 0,
    chronicFundFen: 0,
    tier2BaseFen: 0,
    tier2PaidFen: 0,
    assistancePaidFen: 0,
    accountBalanceFen,
  };
}

/** The accumulators to use for a settlement in `year`: a new year starts from zero (balance kept). */
export function forYear(ytd: YearToDate | undefined, year: number, accountBalanceFen = 0): YearToDate {
  if (!ytd) return emptyYearToDate(year, accountBalanceFen);
  return ytd.year === year ? ytd : emptyYearToDate(year, ytd.accountBalanceFen);
}
