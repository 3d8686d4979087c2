import type { Dialect } from '../store.js';

/**
 * A schema migration. `up` returns the statements for the dialect; most are identical on both
 * backends. Ids are ordered lexically: 000–099 foundation, 100 drg, 200 settlement, 300 audit,
 * 350 casework/monitor, 400 costing, 500 server/security.
 */
export interface Migration {
  readonly id: string;
  up(dialect: Dialect): string[];
}
