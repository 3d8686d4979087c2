/** Shared domain types, vocabularies and money helpers. Engines import only from here and their own folder. */
export * from './model.js';
export { roundFen, lineAmountFen, applyRatio, yuanToFen, formatYuan, allocateLargestRemainder } from './money.js';
export type { Fen, RoundingMode } from './money.js';
export { issue, MedfundError } from './issue.js';
export type { Issue, Severity } from './issue.js';
export { REGION_FILES, LABELS_FILE } from './files.js';
export type { RegionFileKind } from './files.js';
