/**
 * FHIR R4 mapping: Claim (alone or in a Bundle with its Patient / Coverage) → domain encounter and
 * lines; audit verdicts and settlement → ClaimResponse; a stored encounter → ExplanationOfBenefit.
 * Money: FHIR `Money.value` is yuan with two decimals (currency CNY); inside, integer fen.
 */
import { z } from 'zod';
import { formatYuan, SCHEMES, type Encounter, type Scheme, type SettlementLine } from '../domain/index.js';
import type { Violation } from '../audit/index.js';
import type { SettlementResult } from '../settlement/index.js';
import { ApiError, type ApiIssue } from './errors.js';

export const ADJUDICATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/adjudication';
export const CLAIM_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/claim-type';
export const MEDFUND_EXT = 'https://medfund.example/fhir/StructureDefinition';
export const CATALOG_SYSTEM = 'https://medfund.example/fhir/CodeSystem/nhsa-catalog';
export const ICD10_SYSTEM = 'https://medfund.example/fhir/CodeSystem/icd-10-nhsa';
export const ICD9CM3_SYSTEM = 'https://medfund.example/fhir/CodeSystem/icd-9-cm-3-nhsa';
export const ID_NUMBER_SYSTEM = 'urn:oid:2.16.156.10011.1.5'; // 居民身份证号 identifier system (CN)

const Coding = z.looseObject({ system: z.string().optional(), code: z.string().min(1).max(64).optional(), display: z.string().optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).max(20).optional(), text: z.string().optional() });
const Reference = z.looseObject({ reference: z.string().max(200).optional(), identifier: z.looseObject({ value: z.string().max(64).optional() }).optional(), display: z.string().optional() });
const Money = z.looseObject({ value: z.number().nonnegative().max(1e9), currency: z.string().optional() });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a FHIR date YYYY-MM-DD');

export const ClaimSchema = z.looseObject({
  resourceType: z.literal('Claim'),
  id: z.string().max(64).optional(),
  status: z.string().optional(),
  type: CodeableConcept,
  use: z.string().optional(),
  patient: Reference,
  billablePeriod: z.looseObject({ start: date, end: date.optional() }),
  created: z.string().optional(),
  provider: Reference,
  careTeam: z.array(z.looseObject({ sequence: z.number().int(), provider: Reference })).max(50).optional(),
  diagnosis: z.array(z.looseObject({ sequence: z.number().int().min(1), diagnosisCodeableConcept: CodeableConcept })).min(1).max(50),
  procedure: z.array(z.looseObject({ sequence: z.number().int().min(1), procedureCodeableConcept: CodeableConcept })).max(50).optional(),
  insurance: z.array(z.looseObject({ sequence: z.number().int().optional(), focal: z.boolean().optional(), coverage: Reference })).max(5).optional(),
  item: z.array(z.looseObject({
    sequence: z.number().int().min(1),
    productOrService: CodeableConcept,
    servicedDate: date.optional(),
    quantity: z.looseObject({ value: z.number().positive().max(100_000) }),
    unitPrice: Money.optional(),
    net: Money.optional(),
  })).min(1).max(5000),
  extension: z.array(z.looseObject({ url: z.string(), valueCode: z.string().optional(), valueString: z.string().optional() })).max(20).optional(),
  contained: z.array(z.looseObject({ resourceType: z.string(), id: z.string().optional() })).max(20).optional(),
});
export type FhirClaim = z.infer<typeof ClaimSchema>;

const PatientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string().optional(),
  gender: z.enum(['male', 'female'], 'Patient.gender must be male or female for settlement'),
  birthDate: date,
  identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().max(64).optional() })).max(10).optional(),
});
type FhirPatient = z.infer<typeof PatientSchema>;

const BundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: z.looseObject({ resourceType: z.string() }) })).max(10_000),
});

function fail(path: string, message: string, code = 'invalid'): never {
  throw new ApiError(400, 'invalid-request', `${path}: ${message}`, [{ path, code, message }]);
}

function zodFail(err: z.ZodError, prefix: string): never {
  const issues: ApiIssue[] = err.issues.map((i) => ({ path: [prefix, ...i.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`))].join('').replace(/\.\[/g, '['), code: i.code, message: i.message }));
  throw new ApiError(400, 'invalid-request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

export interface ResolvedClaim {
  claim: FhirClaim;
  patient: FhirPatient;
  /** Coverage resource's scheme, if one was supplied */
  coverageScheme: Scheme | undefined;
}

/** Find the Claim and its Patient (contained, in the bundle by fullUrl or `Patient/id`). */
export function resolveClaim(body: unknown): ResolvedClaim {
  const rt = (body as { resourceType?: unknown } | null)?.resourceType;
  let claimRaw: unknown;
  const others: Array<{ fullUrl?: string | undefined; resource: Record<string, unknown> }> = [];
  if (rt === 'Bundle') {
    const b = BundleSchema.safeParse(body);
    if (!b.success) zodFail(b.error, 'Bundle');
    const claims = b.data.entry.filter((e) => e.resource.resourceType === 'Claim');
    if (claims.length !== 1) fail('Bundle.entry', `the bundle must hold exactly one Claim (found ${claims.length})`);
    claimRaw = claims[0]!.resource;
    for (const e of b.data.entry) others.push({ fullUrl: e.fullUrl, resource: e.resource as Record<string, unknown> });
  } else if (rt === 'Claim') {
    claimRaw = body;
  } else {
    fail('resourceType', 'expected a Claim or a Bundle holding one');
  }
  const c = ClaimSchema.safeParse(claimRaw);
  if (!c.success) zodFail(c.error, 'Claim');
  const claim = c.data;
  for (const r of claim.contained ?? []) others.push({ fullUrl: r.id ? `#${r.id}` : undefined, resource: r as Record<string, unknown> });
  const find = (ref: string | undefined, type: string): Record<string, unknown> | undefined => {
    if (!ref) return undefined;
    return others.find((o) => o.resource.resourceType === type && (o.fullUrl === ref || `${type}/${String(o.resource.id)}` === ref || (ref.startsWith('#') && o.resource.id === ref.slice(1))))?.resource;
  };
  const patientRaw = find(claim.patient.reference, 'Patient');
  if (!patientRaw) fail('Claim.patient', 'the Patient must be contained in the Claim or included in the Bundle (sex and birth date are needed)');
  const p = PatientSchema.safeParse(patientRaw);
  if (!p.success) zodFail(p.error, 'Patient');
  let coverageScheme: Scheme | undefined;
  const cov = find(claim.insurance?.[0]?.coverage.reference, 'Coverage') as { type?: { coding?: Array<{ code?: string }> } } | undefined;
  for (const cd of cov?.type?.coding ?? []) if ((SCHEMES as readonly string[]).includes(cd.code ?? '')) coverageScheme = cd.code as Scheme;
  return { claim, patient: p.data, coverageScheme };
}

export function claimScheme(r: ResolvedClaim): Scheme | undefined {
  const ext = r.claim.extension?.find((e) => e.url === `${MEDFUND_EXT}/insurance-scheme`)?.valueCode;
  if (ext !== undefined) {
    if (!(SCHEMES as readonly string[]).includes(ext)) fail('Claim.extension[insurance-scheme]', `unknown scheme ${ext} (expected ${SCHEMES.join(' or ')})`);
    return ext as Scheme;
  }
  return r.coverageScheme;
}

export function refId(ref: { reference?: string | undefined; identifier?: { value?: string | undefined } | undefined }, type: string): string | undefined {
  if (ref.reference?.startsWith(`${type}/`)) return ref.reference.slice(type.length + 1);
  return ref.identifier?.value;
}

export function nationalIdOf(p: FhirPatient): string | undefined {
  return (p.identifier ?? []).find((i) => i.system === ID_NUMBER_SYSTEM && i.value)?.value ?? (p.identifier ?? []).find((i) => i.value)?.value;
}

const firstCode = (cc: { coding?: Array<{ code?: string | undefined }> | undefined }) => cc.coding?.find((x) => x.code)?.code;

export function ageYearsAt(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  return Math.max(0, y - by - (m < bm || (m === bm && d < bd) ? 1 : 0));
}

/** Claim → domain encounter and lines. Unit price: Claim.item.unitPrice, else the catalog price cap. */
export function claimToDomain(
  r: ResolvedClaim,
  ctx: { institutionId: string; personId: string; scheme: Scheme; priceOf: (code: string) => number | undefined; categoryOf: (code: string) => SettlementLine['category'] | undefined; payClassOf: (code: string) => SettlementLine['payClass'] | undefined },
): { encounter: Encounter; lines: SettlementLine[] } {
  const c = r.claim;
  const typeCode = firstCode(c.type);
  const kind: Encounter['kind'] = typeCode === 'institutional' ? 'inpatient' : 'outpatient';
  const admitDate = c.billablePeriod.start.slice(0, 10);
  const dischargeDate = (c.billablePeriod.end ?? c.billablePeriod.start).slice(0, 10);
  if (dischargeDate < admitDate) fail('Claim.billablePeriod.end', `end ${dischargeDate} is before start ${admitDate}`);
  const losDays = kind === 'inpatient' ? Math.max(1, Math.round((Date.parse(dischargeDate) - Date.parse(admitDate)) / 86_400_000)) : 0;
  const diagnoses = [...c.diagnosis].sort((a, b) => a.sequence - b.sequence).map((d, i) => firstCode(d.diagnosisCodeableConcept) ?? fail(`Claim.diagnosis[${i}].diagnosisCodeableConcept`, 'a diagnosis code is required'));
  const procedures = [...(c.procedure ?? [])].sort((a, b) => a.sequence - b.sequence).map((p, i) => firstCode(p.procedureCodeableConcept) ?? fail(`Claim.procedure[${i}].procedureCodeableConcept`, 'a procedure code is required'));
  const doctorId = (c.careTeam?.[0] && refId(c.careTeam[0].provider, 'Practitioner')) || 'unknown';
  const encounterId = c.id ?? 'claim';
  const ageYears = ageYearsAt(r.patient.birthDate, admitDate);
  const encounter: Encounter = {
    id: encounterId, institutionId: ctx.institutionId, departmentId: '', personId: ctx.personId, doctorId, kind,
    benefitType: 'general', scheme: ctx.scheme, sex: r.patient.gender === 'male' ? '1' : '2', ageYears, ageDays: 0, birthWeightGrams: 0,
    admitDate, dischargeDate, dischargeType: '1', losDays, diagnoses, procedures,
  };
  const lines = c.item.map((it, i): SettlementLine => {
    const code = firstCode(it.productOrService) ?? fail(`Claim.item[${i}].productOrService`, 'an item code is required');
    const unitPriceFen = it.unitPrice ? Math.round(it.unitPrice.value * 100) : ctx.priceOf(code);
    if (unitPriceFen === undefined) fail(`Claim.item[${i}].unitPrice`, `${code} is not in the catalog; give unitPrice`);
    const category = ctx.categoryOf(code);
    const payClass = ctx.payClassOf(code);
    const amountFen = it.net ? Math.round(it.net.value * 100) : Math.round(it.quantity.value * unitPriceFen);
    return {
      id: `item-${it.sequence}`, encounterId, institutionId: ctx.institutionId, localCode: '', itemCode: code,
      itemName: it.productOrService.coding?.find((x) => x.code === code)?.display ?? it.productOrService.text ?? '',
      category: category ?? 'service', payClass: payClass ?? 'C', quantity: it.quantity.value, unitPriceFen, amountFen,
      doctorId, departmentId: '', chargedAt: `${(it.servicedDate ?? admitDate).slice(0, 10)}T00:00:00`,
    };
  });
  return { encounter, lines };
}

const money = (fen: number) => ({ value: Number(formatYuan(fen)), currency: 'CNY' });
const adj = (code: string, fen: number) => ({ category: { coding: [{ system: ADJUDICATION_SYSTEM, code }] }, amount: money(fen) });

function totals(s: SettlementResult) {
  return [adj('submitted', s.totalFen), adj('eligible', s.inScopeFen), adj('deductible', s.deductibleFen), adj('benefit', s.fundTotalFen), adj('copay', s.patientFen)];
}

function itemAdjudication(s: SettlementResult, lineId: string) {
  const l = s.lines.find((x) => x.lineId === lineId);
  if (!l) return [];
  return [adj('submitted', l.amountFen), adj('eligible', l.inScopeFen), adj('benefit', l.fundFen), adj('copay', l.patientFen)];
}

const ACTION_RANK: Record<string, number> = { remind: 1, deduct: 2, refer: 3, block: 4 };

/** The strongest audit action among the violations (block > refer > deduct > remind), `pass` when none. */
export function decisionOf(violations: readonly Violation[]): string {
  let best = 'pass';
  for (const v of violations) if ((ACTION_RANK[v.action] ?? 0) > (ACTION_RANK[best] ?? 0)) best = v.action;
  return best;
}

function notes(violations: readonly Violation[]) {
  return violations.map((v, i) => ({ number: i + 1, type: 'display', text: `[${v.ruleId}] ${v.message}`, language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'zh-CN' }] } }));
}

function itemNotes(violations: readonly Violation[], lineId: string): number[] {
  const out: number[] = [];
  violations.forEach((v, i) => {
    if (v.lineIds.includes(lineId)) out.push(i + 1);
  });
  return out;
}

function verdictExtension(violations: readonly Violation[]) {
  return [
    { url: `${MEDFUND_EXT}/audit-decision`, valueCode: decisionOf(violations) },
    ...violations.map((v) => ({
      url: `${MEDFUND_EXT}/audit-verdict`,
      extension: [
        { url: 'ruleId', valueString: v.ruleId },
        { url: 'action', valueCode: v.action },
        { url: 'resultType', valueCode: v.resultType },
        { url: 'amount', valueMoney: money(v.amountFen) },
        { url: 'message', valueString: v.message },
      ],
    })),
  ];
}

export function toClaimResponse(args: { id: string; r: ResolvedClaim; lines: SettlementLine[]; settlement: SettlementResult; violations: readonly Violation[]; created: string }) {
  const { r, settlement: s, violations } = args;
  const decision = decisionOf(violations);
  return {
    resourceType: 'ClaimResponse',
    id: args.id,
    extension: verdictExtension(violations),
    status: 'active',
    type: r.claim.type,
    use: 'claim',
    patient: { reference: r.claim.patient.reference },
    created: args.created,
    insurer: { display: '医疗保障局 Medical insurance bureau' },
    ...(r.claim.id ? { request: { reference: `Claim/${r.claim.id}` } } : {}),
    outcome: violations.length ? 'partial' : 'complete',
    disposition: violations.length
      ? `审核发现 ${violations.length} 项问题（${decision}）；基金支付 ${formatYuan(s.fundTotalFen)} 元 / ${violations.length} audit finding(s) (${decision}); fund pays ${formatYuan(s.fundTotalFen)} CNY`
      : `审核通过；基金支付 ${formatYuan(s.fundTotalFen)} 元 / audit passed; fund pays ${formatYuan(s.fundTotalFen)} CNY`,
    item: args.lines.map((l) => {
      const seq = Number(l.id.replace('item-', ''));
      const nn = itemNotes(violations, l.id);
      return { itemSequence: seq, ...(nn.length ? { noteNumber: nn } : {}), adjudication: itemAdjudication(s, l.id) };
    }),
    total: totals(s),
    payment: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype', code: 'complete' }] }, amount: money(s.fundTotalFen) },
    processNote: notes(violations),
  };
}

export function toExplanationOfBenefit(args: { encounter: Encounter; lines: SettlementLine[]; settlement: SettlementResult; violations: readonly Violation[]; created: string }) {
  const { encounter: e, settlement: s, violations } = args;
  return {
    resourceType: 'ExplanationOfBenefit',
    id: e.id,
    extension: verdictExtension(violations),
    status: 'active',
    type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: e.kind === 'inpatient' ? 'institutional' : 'professional' }] },
    use: 'claim',
    patient: { reference: `Patient/${e.personId}` },
    billablePeriod: { start: e.admitDate, end: e.dischargeDate },
    created: args.created,
    insurer: { display: '医疗保障局 Medical insurance bureau' },
    provider: { reference: `Organization/${e.institutionId}` },
    outcome: 'complete',
    insurance: [{ focal: true, coverage: { display: e.scheme === 'employee' ? '职工基本医疗保险 employee' : '城乡居民基本医疗保险 resident' } }],
    careTeam: [{ sequence: 1, provider: { reference: `Practitioner/${e.doctorId}` } }],
    diagnosis: e.diagnoses.map((code, i) => ({ sequence: i + 1, diagnosisCodeableConcept: { coding: [{ system: ICD10_SYSTEM, code }] }, ...(i === 0 ? { type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype', code: 'principal' }] }] } : {}) })),
    procedure: e.procedures.map((code, i) => ({ sequence: i + 1, procedureCodeableConcept: { coding: [{ system: ICD9CM3_SYSTEM, code }] } })),
    item: args.lines.map((l, i) => {
      const nn = itemNotes(violations, l.id);
      return {
        sequence: i + 1,
        productOrService: { coding: [{ system: CATALOG_SYSTEM, code: l.itemCode, display: l.itemName }] },
        servicedDate: l.chargedAt.slice(0, 10),
        quantity: { value: l.quantity },
        unitPrice: money(l.unitPriceFen),
        net: money(l.amountFen),
        ...(nn.length ? { noteNumber: nn } : {}),
        adjudication: itemAdjudication(s, l.id),
      };
    }),
    total: totals(s),
    payment: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype', code: 'complete' }] }, amount: money(s.fundTotalFen) },
    processNote: notes(violations),
  };
}
