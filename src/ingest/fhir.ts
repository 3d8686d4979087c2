/**
 * FHIR R4 bundles → region records. Patient → persons, Encounter (+ its Condition and Procedure
 * resources) → encounters, Claim items → settlement lines. Institutions, departments, practitioners
 * and the catalog come from the region's master data; FHIR references name them by id
 * (`Organization/<institutionId>`, `Location/<departmentId>`, `Practitioner/<doctorId>`).
 * Each resource kind becomes its own import batch (`<file>#Patient` …) through the same validating
 * pipeline as CSV, so a bad resource is quarantined with its JSON and reasons.
 *
 * MedFund extensions (docs/data-model.md § FHIR): `…/insurance-scheme` (employee|resident),
 * `…/person-type`, `…/region-code` on Patient; `…/benefit-type` on Encounter; `…/pay-class` (A|B|C)
 * and `…/charge-category` on Claim.item.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Store } from '../store/index.js';
import { sha256File, importRecords, type FileReport } from './importer.js';
import { KINDS } from './kinds.js';
import { readJsonDocument, type SourceRecord } from './sources.js';

export const FHIR_EXT = 'https://medfund.dev/fhir/StructureDefinition';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const refId = (ref: unknown, type: string): string | undefined => {
  const r = str(obj(ref).reference);
  if (!r) return undefined;
  const m = new RegExp(`^(?:urn:uuid:)?(?:${type}/)?([^/]+)$`).exec(r);
  return m?.[1];
};
const ext = (res: Json, name: string): string | undefined => {
  for (const e of arr(res.extension)) {
    const x = obj(e);
    if (x.url === `${FHIR_EXT}/${name}`) return str(x.valueCode) ?? str(x.valueString);
  }
  return undefined;
};
const code0 = (cc: unknown): { code?: string; display?: string } => {
  const c = obj(arr(obj(cc).coding)[0]);
  return { code: str(c.code), display: str(c.display) };
};

const ENCOUNTER_CLASS: Record<string, string> = { AMB: 'outpatient', IMP: 'inpatient', ACUTE: 'inpatient', VR: 'online', EMER: 'outpatient' };

function record(row: number, raw: string, fields: Record<string, string | undefined>): SourceRecord {
  return { row, raw, get: (c) => fields[c] };
}

function ageAt(birthDate: string | undefined, on: string | undefined): { years?: string; days?: string } {
  if (!birthDate || !on) return {};
  const b = Date.parse(`${birthDate}T00:00:00Z`);
  const d = Date.parse(`${on.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(b) || Number.isNaN(d)) return {};
  const by = Number(birthDate.slice(0, 4));
  const bmd = birthDate.slice(5);
  const oy = Number(on.slice(0, 4));
  const years = oy - by - (on.slice(5, 10) < bmd ? 1 : 0);
  const days = Math.round((d - b) / 86_400_000);
  return { years: String(years), days: years < 1 ? String(days) : '0' };
}

/** Convert a bundle into per-kind records (pure; exported for tests). */
export function bundleToRecords(bundle: unknown): { persons: SourceRecord[]; encounters: SourceRecord[]; settlementLines: SourceRecord[]; rejected: SourceRecord[] } {
  const b = obj(bundle);
  const out = { persons: [] as SourceRecord[], encounters: [] as SourceRecord[], settlementLines: [] as SourceRecord[], rejected: [] as SourceRecord[] };
  if (b.resourceType !== 'Bundle') {
    out.rejected.push({ row: 1, raw: JSON.stringify(bundle).slice(0, 2000), get: () => undefined, structuralError: { code: 'fhir-not-bundle', message: `resourceType is "${String(b.resourceType)}", expected Bundle` } });
    return out;
  }
  const entries = arr(b.entry).map((e, i) => ({ row: i + 1, res: obj(obj(e).resource) }));
  const patients = new Map<string, Json>();
  const conditions = new Map<string, Json>();
  const proceduresByEncounter = new Map<string, Array<{ when: string; code: string }>>();
  const conditionsByEncounter = new Map<string, string[]>();
  for (const { res } of entries) {
    if (res.resourceType === 'Patient' && str(res.id)) patients.set(str(res.id)!, res);
    if (res.resourceType === 'Condition' && str(res.id)) conditions.set(str(res.id)!, res);
    if (res.resourceType === 'Condition') {
      const enc = refId(res.encounter, 'Encounter');
      const c = code0(res.code).code;
      if (enc && c) conditionsByEncounter.set(enc, [...(conditionsByEncounter.get(enc) ?? []), c]);
    }
    if (res.resourceType === 'Procedure') {
      const enc = refId(res.encounter, 'Encounter');
      const c = code0(res.code).code;
      if (enc && c) proceduresByEncounter.set(enc, [...(proceduresByEncounter.get(enc) ?? []), { when: str(res.performedDateTime) ?? '', code: c }]);
    }
  }
  const idNumberOf = (patientId: string | undefined): string | undefined => {
    const p = patientId ? patients.get(patientId) : undefined;
    return p ? str(obj(arr(p.identifier)[0]).value) : undefined;
  };
  const encounterInfo = new Map<string, { institutionId?: string; departmentId?: string; doctorId?: string }>();
  for (const { row, res } of entries) {
    const raw = JSON.stringify(res);
    switch (res.resourceType) {
      case 'Patient': {
        const gender = str(res.gender);
        out.persons.push(record(row, raw, {
          idNumber: idNumberOf(str(res.id)), sex: gender === 'male' ? '1' : gender === 'female' ? '2' : gender, birthDate: str(res.birthDate),
          scheme: ext(res, 'insurance-scheme'), personType: ext(res, 'person-type'), regionCode: ext(res, 'region-code'),
        }));
        break;
      }
      case 'Encounter': {
        const id = str(res.id);
        const patientId = refId(res.subject, 'Patient');
        const patient = patientId ? patients.get(patientId) : undefined;
        const period = obj(res.period);
        const admit = str(period.start)?.slice(0, 10);
        const discharge = (str(period.end) ?? str(period.start))?.slice(0, 10);
        const cls = str(obj(res.class).code) ?? '';
        // Encounter.diagnosis with rank 1 is the principal diagnosis; otherwise Condition order.
        const ranked = arr(res.diagnosis)
          .map((d) => ({ rank: Number(obj(d).rank ?? 99), code: code0(conditions.get(refId(obj(d).condition, 'Condition') ?? '')?.code).code }))
          .filter((d): d is { rank: number; code: string } => !!d.code)
          .sort((a, c) => a.rank - c.rank)
          .map((d) => d.code);
        const diagnoses = ranked.length ? ranked : (id ? conditionsByEncounter.get(id) ?? [] : []);
        const procedures = (id ? proceduresByEncounter.get(id) ?? [] : []).sort((a, c) => a.when.localeCompare(c.when)).map((p) => p.code);
        const age = ageAt(str(patient?.birthDate), admit);
        const gender = str(patient?.gender);
        const los = str(obj(res.length).value);
        const institutionId = refId(res.serviceProvider, 'Organization');
        const departmentId = refId(obj(arr(res.location)[0]).location, 'Location');
        const doctorId = refId(obj(arr(res.participant)[0]).individual, 'Practitioner');
        if (id) encounterInfo.set(id, { institutionId, departmentId, doctorId });
        out.encounters.push(record(row, raw, {
          id, institutionId, departmentId, personIdNumber: idNumberOf(patientId), doctorId, kind: ENCOUNTER_CLASS[cls] ?? cls,
          benefitType: ext(res, 'benefit-type') ?? (cls === 'EMER' ? 'emergency' : 'general'), scheme: patient ? ext(patient, 'insurance-scheme') : undefined,
          sex: gender === 'male' ? '1' : gender === 'female' ? '2' : gender, ageYears: age.years, ageDays: age.days, birthWeightGrams: '0',
          admitDate: admit, dischargeDate: discharge, dischargeType: code0(obj(res.hospitalization).dischargeDisposition).code ?? '1',
          losDays: los ?? '0', diagnoses: diagnoses.join('|'), procedures: procedures.join('|'),
        }));
        break;
      }
      case 'Claim': {
        const encId = refId(obj(arr(obj(arr(res.item)[0]).encounter)[0]), 'Encounter');
        const info = encId ? encounterInfo.get(encId) : undefined;
        const institutionId = refId(res.provider, 'Organization') ?? info?.institutionId;
        arr(res.item).forEach((it, k) => {
          const item = obj(it);
          const pos = code0(item.productOrService);
          const itemEnc = refId(obj(arr(item.encounter)[0]), 'Encounter') ?? encId;
          const itemInfo = itemEnc ? encounterInfo.get(itemEnc) : info;
          out.settlementLines.push(record(row * 10000 + k + 1, JSON.stringify(item), {
            id: `${str(res.id) ?? 'claim'}-${str(item.sequence) ?? k + 1}`, encounterId: itemEnc, institutionId, localCode: '',
            itemCode: pos.code, itemName: pos.display, category: ext(item, 'charge-category'), payClass: ext(item, 'pay-class'),
            quantity: str(obj(item.quantity).value), unitPrice: str(obj(item.unitPrice).value), amount: str(obj(item.net).value),
            doctorId: itemInfo?.doctorId, departmentId: refId(item.locationReference, 'Location') ?? itemInfo?.departmentId,
            chargedAt: (str(item.servicedDate) ?? '').length === 10 ? `${str(item.servicedDate)}T00:00:00` : str(item.servicedDate),
          }));
        });
        break;
      }
      default:
        break; // Condition and Procedure were folded into their Encounter
    }
  }
  return out;
}

async function* once(records: SourceRecord[]): AsyncGenerator<SourceRecord[]> {
  if (records.length) yield records;
}

/** Import a FHIR R4 Bundle (JSON) file: one batch per resource kind. */
export async function importFhirBundle(store: Store, path: string, opts: { pseudonymKey: string; clock?: () => Date }): Promise<FileReport[]> {
  const sha = await sha256File(path);
  const name = basename(path);
  let bundle: unknown;
  try {
    bundle = readJsonDocument(path);
  } catch (err) {
    throw new Error(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  const recs = bundleToRecords(bundle);
  if (recs.rejected.length) throw new Error(`${path}: ${recs.rejected[0]!.structuralError!.message}`);
  const reports: FileReport[] = [];
  for (const [kind, label] of [['persons', 'Patient'], ['encounters', 'Encounter'], ['settlementLines', 'Claim']] as const) {
    const batchId = `${kind}-fhir-${createHash('sha256').update(sha + kind).digest('hex').slice(0, 24)}`;
    const existing = await store.query(`SELECT batch_id FROM import_batches WHERE batch_id = $1`, [batchId]);
    if (existing.length) continue;
    if (recs[kind].length === 0) continue;
    reports.push(await importRecords(store, KINDS[kind], once(recs[kind]), {
      batchId, sha, encoding: 'utf-8', sourceName: `${name}#${label}`, pseudonymKey: opts.pseudonymKey, clock: opts.clock,
    }));
  }
  return reports;
}
