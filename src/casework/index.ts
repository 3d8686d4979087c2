/**
 * Case workflow (违规案件: 通知 → 申诉 → 复核 → 扣款/撤销, 整改跟踪) and supervision scores
 * (违规率, 违规金额, 申诉成功率, 整改及时率, 基金安全指数).
 *
 * @example
 * await openCasesFromViolations(store, '2026-03-01T09:00:00');
 * await applyStoredAction(store, 'C-V1', { kind: 'notify', at, actor: { id: 'R-001', role: 'reviewer' }, appealDueDate: '2026-03-11' });
 * const scores = await scoresFromStore(store, 'hospital', '2026-03-31');
 */
export {
  CASE_STATES, CASE_ACTIONS, ACTOR_ROLES, DECISION_OUTCOMES, TERMINAL_STATES, TRANSITIONS, STATE_LABELS,
  CaseWorkflowError, openCase, applyCaseAction, checkCaseInvariants, addDays,
} from './machine.js';
export type { Case, CaseAction, CaseActionKind, CaseEvent, CaseState, Actor, ActorRole, DecisionOutcome, Appeal, Decision, Rectification } from './machine.js';
export { SCORE_LEVELS, FSI_WEIGHTS, computeScores, peerSubScore, summarizeScores } from './scores.js';
export type { ScoreLevel, UnitScore, ActivityCell, ScoreCase } from './scores.js';
export {
  caseIdOf, openCasesFromViolations, getCase, getCaseEvents, listCases, countCasesByState, applyStoredAction,
  loadActivity, loadScoreCases, scoresFromStore,
} from './service.js';
export type { CaseFilter } from './service.js';
