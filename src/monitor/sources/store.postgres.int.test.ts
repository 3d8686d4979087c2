import { openTestPostgres } from '../../testing/postgres.js';
import { runStoreSourceSuite } from './store.case.js';

runStoreSourceSuite('postgres', async () => {
  const { store, cleanup } = await openTestPostgres();
  return { store, cleanup };
});
