/** Small builders shared by the settlement tests and benchmark (not part of the public surface). */
import type { CatalogEntry, CatalogLookup, LineInput } from './classify.js';
import type { EncounterInput } from './settle.js';

export function item(payClass: 'A' | 'B' | 'C', selfPayFirstPermille = 0, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return { payClass, priceCapFen: 0, selfPayFirstPermille, restrictions: {}, ...extra };
}

export function catalogOf(entries: Record<string, CatalogEntry>): CatalogLookup {
  const m = new Map(Object.entries(entries));
  return (code) => m.get(code);
}

export function line(id: string, itemCode: string, amountFen: number, extra: Partial<LineInput> = {}): LineInput {
  return { id, itemCode, category: 'drug', payClass: 'A', quantity: 1, unitPriceFen: amountFen, amountFen, ...extra };
}

export function encounter(extra: Partial<EncounterInput> = {}): EncounterInput {
  return {
    id: 'E1',
    kind: 'inpatient',
    benefitType: 'general',
    scheme: 'employee',
    sex: '1',
    ageYears: 50,
    dischargeDate: '2023-05-10',
    diagnoses: ['K35.800'],
    ...extra,
  };
}
