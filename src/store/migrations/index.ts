import { coreMigration } from './001-core.js';
import { importSourcesMigration } from './002-import-sources.js';
import { drgMigration } from './100-drg.js';
import { settlementMigration } from './200-settlement.js';
import { securityMigration } from './500-security.js';
import { monitorMigration } from './350-monitor.js';
import { caseworkMigration } from './360-casework.js';
import { costingMigration } from './400-costing.js';
import { auditMigration } from './300-audit.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in order. Engines add theirs here (see types.ts for id ranges). */
export const MIGRATIONS: readonly Migration[] = [
  coreMigration,
  importSourcesMigration,
  drgMigration,
  settlementMigration,
  auditMigration,
  monitorMigration,
  caseworkMigration,
  costingMigration,
  securityMigration,
];
