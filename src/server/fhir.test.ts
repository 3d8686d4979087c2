import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymise } from '../security/index.js';
import { makeTestApp } from './test-fixtures.js';
import { claimBundle } from './test-samples.js';

let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const officer = () => t.users.get('hospital-insurance-officer@H1')!.token;
type Adj = { category: { coding: { code: string }[] }; amount: { value: number } };
const total = (list: Adj[], code: string) => list.find((a) => a.category.coding[0]!.code === code)?.amount.value;

describe('FHIR R4', () => {
  it('answers a Claim bundle with a ClaimResponse carrying verdicts and the settlement', async () => {
    const res = await t.request('/api/fhir/Claim', { method: 'POST', token: officer(), body: claimBundle('H1'), headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/fhir\+json/);
    const cr = (await res.json()) as { resourceType: string; total: Adj[]; item: { itemSequence: number; adjudication: Adj[]; noteNumber?: number[] }[]; processNote: { text: string }[]; extension: { url: string; valueCode?: string }[]; payment: { amount: { value: number } } };
    expect(cr.resourceType).toBe('ClaimResponse');
    // 3 × 20.00 + 2 × 30.00 yuan
    expect(total(cr.total, 'submitted')).toBe(120);
    const benefit = total(cr.total, 'benefit')!;
    const copay = total(cr.total, 'copay')!;
    expect(Math.round((benefit + copay) * 100)).toBe(12000);
    expect(cr.payment.amount.value).toBe(benefit);
    // per-item adjudication sums to the totals
    const itemBenefit = cr.item.reduce((a, i) => a + Math.round(total(i.adjudication, 'benefit')! * 100), 0);
    expect(itemBenefit).toBe(Math.round(benefit * 100));
    // the female-only drug billed to a man is flagged on item 2
    expect(cr.extension.find((e) => e.url.endsWith('/audit-decision'))!.valueCode).not.toBe('pass');
    expect(cr.item.find((i) => i.itemSequence === 2)!.noteNumber?.length).toBeGreaterThan(0);
    expect(cr.processNote.length).toBeGreaterThan(0);
  });

  it('stores the claim encrypted, keyed by pseudonym, never the id number in clear', async () => {
    const rows = await t.store.query(`SELECT patient_pseudonym, payload_enc FROM fhir_claims`);
    expect(rows.length).toBeGreaterThan(0);
    expect(String(rows[0]!.payload_enc)).toMatch(/^enc:v1:/);
    expect(String(rows[0]!.payload_enc)).not.toContain('110101196003017777');
    expect(rows[0]!.patient_pseudonym).toBe(pseudonymise(t.keys.pseudonymKey, '110101196003017777'));
    const log = await t.store.query(`SELECT detail, resource_id FROM audit_log`);
    expect(JSON.stringify(log)).not.toContain('110101196003017777');
  });

  it('denies a claim for another institution and answers errors as OperationOutcome naming the field', async () => {
    const other = await t.request('/api/fhir/Claim', { method: 'POST', token: officer(), body: claimBundle('H2'), headers: { 'content-type': 'application/fhir+json' } });
    expect(other.status).toBe(403);
    const bad = claimBundle('H1');
    (bad.entry[2]!.resource as { item: { quantity: { value: number } }[] }).item[0]!.quantity.value = -1;
    const res = await t.request('/api/fhir/Claim', { method: 'POST', token: officer(), body: bad, headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status).toBe(400);
    const oo = (await res.json()) as { resourceType: string; issue: { expression: string[] }[] };
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue[0]!.expression[0]).toBe('Claim.item[0].quantity.value');
  });

  it('exports an ExplanationOfBenefit whose totals equal the settlement simulation', async () => {
    const eob = (await (await t.request('/api/fhir/ExplanationOfBenefit/E1', { token: officer() })).json()) as { resourceType: string; total: Adj[]; item: unknown[] };
    expect(eob.resourceType).toBe('ExplanationOfBenefit');
    expect(eob.item).toHaveLength(2);
    const sim = (await (await t.request('/api/settlement/simulate', { method: 'POST', token: officer(), body: { encounterId: 'E1' } })).json()) as { result: { totalFen: number; fundTotalFen: number; patientFen: number } };
    expect(Math.round(total(eob.total, 'submitted')! * 100)).toBe(sim.result.totalFen);
    expect(sim.result.totalFen).toBe(14560);
    expect(Math.round(total(eob.total, 'benefit')! * 100)).toBe(sim.result.fundTotalFen);
    expect(Math.round(total(eob.total, 'copay')! * 100)).toBe(sim.result.patientFen);
    const bundle = (await (await t.request('/api/fhir/ExplanationOfBenefit?institutionId=H1', { token: officer() })).json()) as { type: string; total: number; entry: unknown[] };
    expect(bundle).toMatchObject({ type: 'searchset', total: 2 });
    expect(bundle.entry).toHaveLength(2);
  });
});
