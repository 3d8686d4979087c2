/**
 * Precision / recall of violations against the generator's ground truth, exactly as
 * docs/irregularities.md § Scoring defines them. Pure: labels are passed in, never read by rules.
 */
import { IRREGULARITY_TYPES } from '../domain/index.js';
import type { IrregularityType, Label } from '../domain/index.js';

export interface TypeScore {
  type: IrregularityType;
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  findings: number;
  labels: number;
  /** encounter ids of the false-positive findings */
  falsePositiveEncounters: string[];
  /** encounter ids of undetected labels (first id of each) */
  missedLabels: string[][];
}

/**
 * Per type T: a finding is a distinct (T, encounterId) among violations of type T; a true-positive
 * finding when the encounter is in some T-label. A label is detected when one of its encounters has
 * a T-finding. precision = TP findings / findings; recall = detected labels / labels (1 when the
 * denominator is 0).
 */
export function scoreFindings(violations: readonly { type?: IrregularityType | undefined; encounterId: string }[], labels: readonly Label[]): TypeScore[] {
  const out: TypeScore[] = [];
  for (const type of IRREGULARITY_TYPES) {
    const findings = new Set<string>();
    for (const v of violations) if (v.type === type) findings.add(v.encounterId);
    const tl = labels.filter((l) => l.type === type);
    const labelled = new Set<string>();
    for (const l of tl) for (const id of l.encounterIds) labelled.add(id);
    const fp = [...findings].filter((id) => !labelled.has(id)).sort();
    const tpFindings = findings.size - fp.length;
    const missed = tl.filter((l) => !l.encounterIds.some((id) => findings.has(id)));
    const detected = tl.length - missed.length;
    out.push({
      type,
      precision: findings.size === 0 ? 1 : tpFindings / findings.size,
      recall: tl.length === 0 ? 1 : detected / tl.length,
      truePositives: detected,
      falsePositives: fp.length,
      falseNegatives: missed.length,
      findings: findings.size,
      labels: tl.length,
      falsePositiveEncounters: fp,
      missedLabels: missed.map((l) => l.encounterIds),
    });
  }
  return out;
}
