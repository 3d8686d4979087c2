import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './index.js';
import { runStoreSuite } from './store.case.js';

runStoreSuite('duckdb (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'medfund-store-'));
  const store = await openStore({ db: join(dir, 'm.duckdb') });
  return { store, cleanup: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});
