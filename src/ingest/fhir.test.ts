import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryStore, type Store } from '../store/index.js';
import { writeMiniRegion } from '../testing/mini-region.js';
import { FHIR_EXT, bundleToRecords, importFhirBundle } from './fhir.js';
import { importRegion } from './importer.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { resource: { resourceType: 'Patient', id: 'p1', identifier: [{ value: '310000198505050035' }], gender: 'male', birthDate: '1985-05-05',
      extension: [{ url: `${FHIR_EXT}/insurance-scheme`, valueCode: 'employee' }, { url: `${FHIR_EXT}/person-type`, valueCode: 'in-service' }, { url: `${FHIR_EXT}/region-code`, valueCode: '310000' }] } },
    { resource: { resourceType: 'Encounter', id: 'F1', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/p1' },
      period: { start: '2025-05-01', end: '2025-05-06' }, length: { value: 5, unit: 'd' }, serviceProvider: { reference: 'Organization/H1' },
      location: [{ location: { reference: 'Location/H1-D01' } }], participant: [{ individual: { reference: 'Practitioner/H1-DR1' } }],
      diagnosis: [{ condition: { reference: 'Condition/c2' }, rank: 2 }, { condition: { reference: 'Condition/c1' }, rank: 1 }],
      hospitalization: { dischargeDisposition: { coding: [{ code: '1' }] } } } },
    { resource: { resourceType: 'Condition', id: 'c1', encounter: { reference: 'Encounter/F1' }, code: { coding: [{ code: 'K35.800' }] } } },
    { resource: { resourceType: 'Condition', id: 'c2', encounter: { reference: 'Encounter/F1' }, code: { coding: [{ code: 'I10.x00' }] } } },
    { resource: { resourceType: 'Procedure', id: 'pr1', encounter: { reference: 'Encounter/F1' }, performedDateTime: '2025-05-02T10:00:00', code: { coding: [{ code: '47.0100' }] } } },
    { resource: { resourceType: 'Claim', id: 'CL1', provider: { reference: 'Organization/H1' }, patient: { reference: 'Patient/p1' },
      item: [
        { sequence: 1, encounter: [{ reference: 'Encounter/F1' }], productOrService: { coding: [{ code: '001102000050000', display: '住院诊查费' }] },
          servicedDate: '2025-05-02', quantity: { value: 1 }, unitPrice: { value: 20, currency: 'CNY' }, net: { value: 20, currency: 'CNY' },
          extension: [{ url: `${FHIR_EXT}/pay-class`, valueCode: 'A' }, { url: `${FHIR_EXT}/charge-category`, valueCode: 'service' }] },
        { sequence: 2, encounter: [{ reference: 'Encounter/F1' }], productOrService: { coding: [{ code: '001102000050000', display: '住院诊查费' }] },
          servicedDate: '2025-05-03', quantity: { value: 1 }, unitPrice: { value: 20 }, net: { value: 25 },
          extension: [{ url: `${FHIR_EXT}/pay-class`, valueCode: 'A' }, { url: `${FHIR_EXT}/charge-category`, valueCode: 'service' }] },
      ] } },
  ],
};

describe('FHIR R4 bundle import', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    store = await openMemoryStore();
    dir = mkdtempSync(join(tmpdir(), 'medfund-fhir-'));
    writeMiniRegion(join(dir, 'region'));
    await importRegion(store, join(dir, 'region'), { pseudonymKey: 'k' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps Encounter.diagnosis ranks and Procedures onto the encounter record', () => {
    const recs = bundleToRecords(bundle);
    expect(recs.encounters[0]!.get('diagnoses')).toBe('K35.800|I10.x00');
    expect(recs.encounters[0]!.get('procedures')).toBe('47.0100');
    expect(recs.encounters[0]!.get('ageYears')).toBe('39');
    expect(recs.settlementLines.map((r) => r.get('id'))).toEqual(['CL1-1', 'CL1-2']);
  });

  it('imports persons, encounters and claim lines through the validating pipeline', async () => {
    const path = join(dir, 'bundle.json');
    writeFileSync(path, JSON.stringify(bundle));
    const reports = await importFhirBundle(store, path, { pseudonymKey: 'k' });
    expect(reports.map((r) => [r.file, r.rowsStored, r.rowsQuarantined])).toEqual([
      ['bundle.json#Patient', 1, 0],
      ['bundle.json#Encounter', 1, 0],
      ['bundle.json#Claim', 1, 1], // the second item's net ≠ quantity × unit price
    ]);
    expect(reports[2]!.reasons).toEqual({ 'amount-mismatch': 1 });
    const enc = await store.getEncounter('F1');
    expect(enc).toMatchObject({ kind: 'inpatient', losDays: 5, diagnoses: ['K35.800', 'I10.x00'], sex: '1' });
    const lines = await store.getLines('F1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ amountFen: 2000, unitPriceFen: 2000, chargedAt: '2025-05-02T00:00:00' });
    expect(await importFhirBundle(store, path, { pseudonymKey: 'k' })).toEqual([]); // idempotent
  });
});
