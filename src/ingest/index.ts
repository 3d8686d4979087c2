/** Ingestion: CSV (UTF-8/GBK), JSON Lines and FHIR R4 into the store, with quarantine, lineage and quality. */
export { importFile, importRegion, importRecords, sha256File } from './importer.js';
export type { FileReport, ImportOptions, RegionImportReport } from './importer.js';
export { importFhirBundle } from './fhir.js';
export { qualityReport } from './quality.js';
export type { QualityReport, QualityRow } from './quality.js';
export { unmappedCodesReport } from './quality.js';
export { pseudonymise, loadPseudonymKey } from './pseudonym.js';
export { KINDS, kindOfFile } from './kinds.js';
export { detectEncoding } from './decode.js';
