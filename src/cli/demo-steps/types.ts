import type { Store } from '../../store/store.js';

/** Context handed to each demo step by `medfund demo`. */
export interface DemoContext {
  /** directory the demo region was generated into */
  readonly regionDir: string;
  /** write a progress / status line for the user */
  log(line: string): void;
}

/**
 * One engine's part of `medfund demo`: runs the engine over the imported demo region (storing its
 * results) and returns summary lines for the final report.
 */
export interface DemoStep {
  readonly name: string;
  run(store: Store, ctx: DemoContext): Promise<string[]>;
}
