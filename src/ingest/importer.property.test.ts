import { openMemoryStore } from '../store/index.js';
import { runImportPropertySuite } from './importer.property.case.js';

runImportPropertySuite('duckdb', async () => {
  const store = await openMemoryStore();
  return { store, cleanup: () => store.close() };
}, 60);
