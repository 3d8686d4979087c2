import { openTestPostgres } from '../testing/postgres.js';
import { runStoreSuite } from './store.case.js';

runStoreSuite('postgres', async () => {
  const { store, cleanup } = await openTestPostgres();
  return { store, cleanup };
});
