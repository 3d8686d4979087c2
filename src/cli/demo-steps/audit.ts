/**
 * Demo step: batch audit (事后) of the demo region with the full rule library, stores the
 * violations (the casework step opens cases from them) and scores them against the region's
 * labels.jsonl per injected irregularity type.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS_FILE } from '../../domain/index.js';
import { loadRuleLibrary, ruleCoverage, scoreFindings } from '../../audit/index.js';
import { auditStore, compileForStore, readLabels, saveViolations } from '../../audit/store-audit.js';
import { yuan } from '../util.js';
import type { DemoStep } from './types.js';

export const auditDemoStep: DemoStep = {
  name: 'audit',
  async run(store, ctx) {
    const startedAt = new Date().toISOString();
    const asOf = startedAt.slice(0, 10);
    const plan = await compileForStore(store, loadRuleLibrary(), asOf);
    ctx.log('智能审核 audit: running the full rule library over the region …');
    const t0 = performance.now();
    const r = await auditStore(store, plan);
    const s = (performance.now() - t0) / 1000;
    await saveViolations(store, { runId: `demo-${startedAt}`, mode: 'post', libraryVersion: plan.libraryVersion, asOf, startedAt, finishedAt: new Date().toISOString(), encounters: r.encounters, lines: r.lines }, r.violations);
    const amount = r.violations.reduce((a, v) => a + v.amountFen, 0);
    const cov = ruleCoverage(plan);
    const out = [
      `智能审核 audit: ${r.violations.length} 条违规 violations, 违规金额 amount at stake ${yuan(amount)} · ${r.lines.toLocaleString('en-US')} lines in ${s.toFixed(1)} s`,
      `规则库 rule library ${plan.libraryVersion}: ${plan.rules.length} rules, 国家规则 ${cov.classesImplemented}/${cov.classesTotal} classes, ${cov.knowledgePoints} 知识点 knowledge points`,
    ];
    const labelsFile = join(ctx.regionDir, LABELS_FILE);
    if (existsSync(labelsFile)) {
      const types = scoreFindings(r.violations, readLabels(labelsFile));
      const minP = Math.min(...types.map((t) => t.precision));
      const minR = Math.min(...types.map((t) => t.recall));
      out.push(`对照标注 vs labels: ${types.length} 类 types, 最低精确率 min precision ${minP.toFixed(3)}, 最低召回率 min recall ${minR.toFixed(3)} (medfund audit --evaluate --region ${ctx.regionDir})`);
    }
    return out;
  },
};
