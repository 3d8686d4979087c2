import { describe, it } from 'vitest';
import { openTestPostgres } from '../../testing/postgres.js';
import { runSettlementStoreCase } from './settlement.case.js';

describe('settlement over the store (demo step, PostgreSQL)', () => {
  it('settles, clears and allocates with the same results as DuckDB', async () => {
    const pg = await openTestPostgres();
    try {
      await runSettlementStoreCase(pg.store);
    } finally {
      await pg.cleanup();
    }
  });
});
