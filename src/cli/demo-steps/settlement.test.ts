import { describe, it } from 'vitest';
import { openMemoryStore } from '../../store/index.js';
import { runSettlementStoreCase } from './settlement.case.js';

describe('settlement over the store (demo step, DuckDB)', () => {
  it('settles every encounter with per-person accumulators, stores results, clears and allocates', async () => {
    const store = await openMemoryStore();
    try {
      await runSettlementStoreCase(store);
    } finally {
      await store.close();
    }
  });
});
