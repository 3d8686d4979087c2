/**
 * Where the shipped data lives. `MEDFUND_DATA_DIR` overrides it (e.g. a region's own schemes,
 * rules and policies); the default is the repository's data/ folder.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const REPO_DATA_DIR = resolve(fileURLToPath(new URL('../../data', import.meta.url)));

export function dataDir(): string {
  return process.env.MEDFUND_DATA_DIR ? resolve(process.env.MEDFUND_DATA_DIR) : REPO_DATA_DIR;
}
