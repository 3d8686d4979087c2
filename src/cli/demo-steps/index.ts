import type { DemoStep } from './types.js';
import { auditDemoStep } from './audit.js';
import { caseworkDemoStep } from './casework.js';
import { settlementDemoStep } from './settlement.js';
import { drgDemoStep } from './drg.js';
import { costingDemoStep } from './costing.js';

export type { DemoStep, DemoContext } from './types.js';

/** Every engine's demo step, in the order `medfund demo` runs them. Engines add theirs here. */
export const DEMO_STEPS: DemoStep[] = [
  drgDemoStep,
  settlementDemoStep,
  auditDemoStep,
  costingDemoStep, // after audit: its deductions (扣款) are booked as denied payments
  caseworkDemoStep,
];
