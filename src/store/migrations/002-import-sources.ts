import type { Migration } from './types.js';

/**
 * Where region directories were imported from (absolute path, time): lets tools find files that
 * travel with a region but are not imported, such as the generator's ground truth labels.jsonl.
 */
export const importSourcesMigration: Migration = {
  id: '002-import-sources',
  up: () => [`CREATE TABLE IF NOT EXISTS import_sources (dir VARCHAR NOT NULL, imported_at VARCHAR NOT NULL)`],
};
