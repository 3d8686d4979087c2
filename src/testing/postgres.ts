/**
 * PostgreSQL for integration tests: each test file gets its own schema in the database named by
 * DATABASE_URL_TEST (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
 * Unreachable PostgreSQL is an error, never a silent skip: CI must run these tests.
 */
import { PostgresStore } from '../store/index.js';
import type { Store } from '../store/index.js';

export const TEST_DATABASE_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function openTestPostgres(): Promise<{ store: Store; url: string; schema: string; cleanup: () => Promise<void> }> {
  const schema = `medfund_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let store: PostgresStore;
  try {
    store = await PostgresStore.open(TEST_DATABASE_URL, schema);
    await store.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `\n\n*** PostgreSQL is NOT reachable at ${TEST_DATABASE_URL}: ${(err as Error).message}\n` +
        `*** The PostgreSQL integration tests cannot run. Start PostgreSQL or set DATABASE_URL_TEST.\n`,
    );
  }
  await store.migrate();
  return {
    store,
    url: TEST_DATABASE_URL,
    schema,
    cleanup: async () => {
      await store.dropSchema(schema);
      await store.close();
    },
  };
}
