import { openTestPostgres } from '../testing/postgres.js';
import { runCaseworkSuite } from './service.case.js';

runCaseworkSuite('postgres', async () => {
  const { store, cleanup } = await openTestPostgres();
  return { store, cleanup };
});
