/**
 * The settle case file format (`medfund settle --in cases.jsonl`): one JSON object per line.
 * Validated with zod at the boundary; docs/settlement.md § Case file shows an example.
 */
import { z } from 'zod';
import {
  BENEFIT_TYPES, CHARGE_CATEGORIES, ENCOUNTER_KINDS, INSTITUTION_LEVELS, ItemRestrictionsSchema, PAY_CLASSES, PERSON_TYPES, SCHEMES, SEXES,
  issue,
} from '../domain/index.js';
import type { Issue } from '../domain/index.js';
import { ASSISTANCE_CATEGORIES } from './policy.js';

const fen = z.number().int('money must be integer fen').nonnegative();

export const CaseLineSchema = z.object({
  id: z.string().min(1),
  itemCode: z.string().min(1),
  category: z.enum(CHARGE_CATEGORIES),
  payClass: z.enum(PAY_CLASSES),
  quantity: z.number().positive(),
  unitPriceFen: fen,
  amountFen: fen,
  /** optional inline catalog facts (else looked up in --catalog) */
  priceCapFen: fen.optional(),
  selfPayFirstPermille: z.number().int().min(0).max(1000).optional(),
  restrictions: ItemRestrictionsSchema.optional(),
});

export const CaseSchema = z.object({
  encounter: z.object({
    id: z.string().min(1),
    personId: z.string().min(1).optional(),
    kind: z.enum(ENCOUNTER_KINDS),
    benefitType: z.enum(BENEFIT_TYPES).default('general'),
    scheme: z.enum(SCHEMES),
    sex: z.enum(SEXES),
    ageYears: z.number().int().min(0).max(130),
    dischargeDate: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected an ISO date YYYY-MM-DD'),
    diagnoses: z.array(z.string().min(1)).min(1),
  }),
  institutionLevel: z.enum(INSTITUTION_LEVELS),
  personType: z.enum(PERSON_TYPES),
  assistanceCategory: z.enum(ASSISTANCE_CATEGORIES).optional(),
  useAccount: z.boolean().optional(),
  /** individual-account balance before this case (only read for the person's first case in the file) */
  accountBalanceFen: fen.optional(),
  lines: z.array(CaseLineSchema),
});
export type SettleCase = z.infer<typeof CaseSchema>;

/** Parse one JSONL line; returns the case or issues naming the field, value and reason. */
export function parseCase(text: string, lineNo: number): { ok: true; value: SettleCase } | { ok: false; issues: Issue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [issue('invalid-json', `line ${lineNo}`, `not valid JSON: ${(err as Error).message}`)] };
  }
  const r = CaseSchema.safeParse(json);
  if (r.success) {
    const bad = r.data.lines.findIndex((l) => l.amountFen !== Math.round(l.quantity * l.unitPriceFen) && Math.abs(l.amountFen - l.quantity * l.unitPriceFen) > 0.5);
    if (bad >= 0) {
      const l = r.data.lines[bad]!;
      return { ok: false, issues: [issue('amount-mismatch', `line ${lineNo}: lines[${bad}].amountFen`, `amountFen ${l.amountFen} ≠ quantity ${l.quantity} × unitPriceFen ${l.unitPriceFen}`)] };
    }
    return { ok: true, value: r.data };
  }
  return {
    ok: false,
    issues: r.error.issues.map((i) => issue('invalid-case', `line ${lineNo}: ${i.path.join('.')}`, i.message)),
  };
}
