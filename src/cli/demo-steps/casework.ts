/**
 * Demo step: opens cases for the demo region's violations (written by the audit step), walks a
 * deterministic sample through the workflow — notify 通知, appeal 申诉, decide 扣款/撤销, rectify 整改 —
 * and prints the fund-safety scores. The clock is derived from the data (the day after the last
 * discharge), and the sample from a hash of the case id, so re-running gives the same result.
 */
import { addDays, applyStoredAction, countCasesByState, listCases, openCasesFromViolations, scoresFromStore, summarizeScores } from '../../casework/index.js';
import type { Case } from '../../casework/index.js';
import type { DemoStep } from './types.js';

const SAMPLE = 200;
const reviewer = { id: 'demo-reviewer', role: 'reviewer' } as const;
const hospital = { id: 'demo-ybb', role: 'institution' } as const; // 医保办

/** FNV-1a → 0..99: a stable pseudo-random bucket per case. */
function bucket(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % 100;
}

const yuan = (fen: number): string => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const caseworkDemoStep: DemoStep = {
  name: 'casework',
  async run(store, ctx) {
    // day 0: the day after the last discharge — or after the latest case change, when cases were
    // already worked on (a re-run, or cases handled by hand), so no action predates a logged one
    const lastRow = (await store.query(`SELECT MAX(discharge_date) AS d FROM encounters`))[0];
    const lastCase = (await store.query(`SELECT MAX(updated_at) AS t FROM cases`))[0];
    const afterData = addDays(String(lastRow?.d ?? '2026-01-01'), 1);
    const afterCases = lastCase?.t ? addDays(String(lastCase.t).slice(0, 10), 1) : afterData;
    const day0 = afterCases > afterData ? afterCases : afterData;
    const at = (days: number, time: string): string => `${addDays(day0, days)}T${time}`;
    const { opened, total } = await openCasesFromViolations(store, at(0, '09:00:00'));
    if (total === 0) return ['案件 casework: 无违规可立案 no violations to open cases for (run the audit step first)'];

    // the sample: open cases ordered by their hash bucket, then id
    const open = await listCases(store, { state: 'open' });
    const sample: Case[] = [...open].sort((a, b) => bucket(a.caseId) - bucket(b.caseId) || (a.caseId < b.caseId ? -1 : 1)).slice(0, SAMPLE);
    ctx.log(`casework: ${opened} cases opened, walking ${sample.length} through the workflow`);
    // one transaction for the whole walk: each action still logs its own event (one commit, not ~800)
    await store.withTransaction(async (tx) => {
      for (const c of sample) {
        const b = bucket(c.caseId);
        await applyStoredAction(tx, c.caseId, { kind: 'notify', at: at(0, '10:00:00'), actor: reviewer, appealDueDate: addDays(day0, 10) });
        if (b % 10 < 4) {
          await applyStoredAction(tx, c.caseId, {
            kind: 'appeal', at: at(3, '15:00:00'), actor: hospital,
            reason: '病历记录显示有临床指征，申请复核 clinical indication documented', attachments: [`病程记录 ${c.encounterId}`],
          });
        }
        const cleared = b % 10 < 4 && b % 20 < 3; // some appeals are upheld
        await applyStoredAction(tx, c.caseId, {
          kind: 'decide', at: at(12, '09:30:00'), actor: reviewer, outcome: cleared ? 'clear' : 'deduct',
          reason: cleared ? '申诉成立，撤销 appeal upheld' : b % 10 < 4 ? '申诉理由不成立 appeal rejected' : '逾期未申诉 no appeal by the due date',
        });
        if (!cleared && b % 3 === 0) {
          await applyStoredAction(tx, c.caseId, { kind: 'require-rectification', at: at(12, '10:00:00'), actor: reviewer, dueDate: addDays(day0, 42) });
          if (b % 2 === 0) {
            const late = b % 4 === 0;
            const done = addDays(day0, late ? 50 : 35);
            await applyStoredAction(tx, c.caseId, { kind: 'complete-rectification', at: `${done}T16:00:00`, actor: hospital, doneDate: done });
          }
        }
      }
    });
    const counts = await countCasesByState(store);
    const asOf = addDays(day0, 60);
    const hospitals = await scoresFromStore(store, 'hospital', asOf);
    const sum = summarizeScores(hospitals);
    const worst = hospitals.slice(0, 3).map((s) => `${s.institutionId} ${s.fundSafetyIndex.toFixed(1)}`).join(', ');
    const appealed = hospitals.reduce((n, s) => n + s.appealsDecided, 0);
    return [
      `案件 cases: ${total} 件 (${counts.open} 待通知 open, ${counts.notified} 已通知, ${counts.appealed} 已申诉, ${counts.deducted} 已扣款 deducted, ${counts.cleared} 已撤销 cleared); 样本 sample ${sample.length} walked through notify/appeal/decide/rectify`,
      `涉及金额 at stake ${yuan(sum.amountAtStakeFen)}, 已扣款 deducted ${yuan(sum.deductedFen)}; 已决申诉 appeals decided ${appealed}`,
      `基金安全指数 fund-safety index (${hospitals.length} 家机构 hospitals, as of ${asOf}) 最低 lowest: ${worst || '-'} — medfund scores --level hospital|department|doctor`,
    ];
  },
};
