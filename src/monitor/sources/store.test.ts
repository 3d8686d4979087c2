import { openMemoryStore } from '../../store/index.js';
import { runStoreSourceSuite } from './store.case.js';

runStoreSourceSuite('duckdb', async () => {
  const store = await openMemoryStore();
  return { store, cleanup: () => store.close() };
});
