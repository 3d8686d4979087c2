import type { AuditPlan } from './compile.js';
import { implementedClasses } from './compile.js';

export interface Coverage {
  classesImplemented: number;
  classesTotal: number;
  knowledgePoints: number;
  classes: { seq: number; nameZh: string; nameEn: string; implemented: boolean; rules: string[]; kinds: string[] }[];
}

/** National 2025-edition classes covered by the plan's rules (each mapped to an evaluator kind). */
export function ruleCoverage(plan: AuditPlan): Coverage {
  const done = new Set(implementedClasses(plan));
  return {
    classesImplemented: done.size,
    classesTotal: plan.nationalClasses.length,
    knowledgePoints: plan.knowledgePoints,
    classes: plan.nationalClasses.map((c) => {
      const rs = plan.rules.filter((r) => r.nationalClasses.includes(c.seq));
      return { seq: c.seq, nameZh: c.nameZh, nameEn: c.nameEn, implemented: done.has(c.seq), rules: rs.map((r) => r.id), kinds: [...new Set(rs.map((r) => r.kind))] };
    }),
  };
}
