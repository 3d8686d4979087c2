import { openMemoryStore } from '../store/index.js';
import { runCaseworkSuite } from './service.case.js';

runCaseworkSuite('duckdb', async () => {
  const store = await openMemoryStore();
  return { store, cleanup: () => store.close() };
});
