import { openMemoryStore } from '../store/index.js';
import { runImportSuite } from './importer.case.js';

runImportSuite('duckdb', async () => {
  const store = await openMemoryStore();
  return { store, cleanup: () => store.close() };
});
