/**
 * Errors are data with a path (see docs/architecture.md § Errors). Engines return issues in their
 * results; only a broken invariant throws {@link MedfundError}. The server maps codes to HTTP status.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Issue {
  readonly severity: Severity;
  /** Stable machine code, kebab-case, e.g. `unknown-diagnosis`, `los-not-positive`. */
  readonly code: string;
  /** Dotted path of the offending field, e.g. `diagnoses[2]` or `quantity`. */
  readonly path: string;
  /** Specific, human-readable message naming the bad value. */
  readonly message: string;
}

export function issue(code: string, path: string, message: string, severity: Severity = 'error'): Issue {
  return { severity, code, path, message };
}

export class MedfundError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[] | string, options?: { cause?: unknown }) {
    const list = typeof issues === 'string' ? [issue('error', '', issues)] : issues;
    super(list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), options);
    this.name = 'MedfundError';
    this.issues = list;
  }
}
