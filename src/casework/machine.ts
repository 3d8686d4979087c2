/**
 * The case workflow (违规案件处理流程) as a pure state machine: a detected violation becomes a case,
 * the bureau notifies the institution (通知), the institution may appeal (申诉) with a reason and
 * attachments before the appeal deadline, a reviewer decides (复核决定) and the case ends deducted
 * (扣款) or cleared (撤销/不予扣款). A deducted case may require rectification (整改) with a due date;
 * the institution reports it done.
 *
 * Pure: no I/O, no clock — every action carries its own timestamp and actor. `applyCaseAction`
 * returns the next case and the one event to log, or throws {@link CaseWorkflowError} naming the
 * action, the state and what is allowed. The store-backed service (service.ts) persists both.
 *
 * Procedure after NHSA 《医疗保障基金智能审核和监控知识库、规则库管理办法（试行）》 (初审 → 复审 → 申诉 →
 * 调查核实 → 违规处理) and the vendor status flow in shared/notes/audit-rules.md §3.2.
 */
import { MedfundError, issue } from '../domain/index.js';
import type { Fen } from '../domain/index.js';

/** open 待通知 · notified 已通知 · appealed 已申诉 · deducted 已扣款 · cleared 已撤销 */
export const CASE_STATES = ['open', 'notified', 'appealed', 'deducted', 'cleared'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Terminal states: no further state change except rectification tracking on deducted cases. */
export const TERMINAL_STATES: readonly CaseState[] = ['deducted', 'cleared'];

/** reviewer 医保经办/稽核人员 (bureau side) · institution 定点医疗机构医保办 (hospital side) */
export const ACTOR_ROLES = ['reviewer', 'institution'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const CASE_ACTIONS = ['notify', 'appeal', 'decide', 'require-rectification', 'complete-rectification'] as const;
export type CaseActionKind = (typeof CASE_ACTIONS)[number];

/** Decision outcome: deduct 扣款 (appeal rejected / no appeal) · clear 撤销 (appeal upheld, not a violation) */
export const DECISION_OUTCOMES = ['deduct', 'clear'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}

export interface Rectification {
  // 整改
  readonly required: boolean;
  /** ISO date by which the institution must rectify */
  readonly dueDate: string | null;
  /** ISO date the institution reported the rectification done */
  readonly doneDate: string | null;
  readonly note: string;
}

export interface Appeal {
  // 申诉
  readonly reason: string;
  /** attachments as text (document titles, excerpts, references) */
  readonly attachments: readonly string[];
  readonly at: string;
}

export interface Decision {
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  /** amount deducted 扣款金额; 0 when cleared (or when nothing is at stake); at most the case amount */
  readonly deductedFen: Fen;
  readonly at: string;
}

/** A case: one violation under review. Immutable; actions return a new value. */
export interface Case {
  readonly caseId: string;
  readonly violationId: string;
  readonly ruleId: string;
  readonly encounterId: string;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  /** amount at stake 违规金额 */
  readonly amountFen: Fen;
  readonly state: CaseState;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly notifiedAt: string | null;
  /** last day (ISO date, inclusive) on which an appeal is accepted 申诉截止日 */
  readonly appealDueDate: string | null;
  readonly appeal: Appeal | null;
  readonly decision: Decision | null;
  readonly rectification: Rectification;
  /** number of accepted actions so far (= events logged); used for optimistic concurrency */
  readonly version: number;
}

export type CaseAction =
  | { readonly kind: 'notify'; readonly at: string; readonly actor: Actor; readonly appealDueDate: string; readonly note?: string }
  | { readonly kind: 'appeal'; readonly at: string; readonly actor: Actor; readonly reason: string; readonly attachments?: readonly string[] }
  | {
      readonly kind: 'decide';
      readonly at: string;
      readonly actor: Actor;
      readonly outcome: DecisionOutcome;
      readonly reason: string;
      /** partial deduction; defaults to the full case amount when deducting */
      readonly deductedFen?: Fen;
    }
  | { readonly kind: 'require-rectification'; readonly at: string; readonly actor: Actor; readonly dueDate: string; readonly note?: string }
  | { readonly kind: 'complete-rectification'; readonly at: string; readonly actor: Actor; readonly doneDate: string; readonly note?: string };

/** One logged state change (table case_events): who, when, what, from → to. */
export interface CaseEvent {
  readonly caseId: string;
  /** 1-based sequence within the case (= case.version after the action) */
  readonly seq: number;
  readonly action: CaseActionKind;
  readonly fromState: CaseState;
  readonly toState: CaseState;
  readonly actorId: string;
  readonly actorRole: ActorRole;
  readonly at: string;
  /** action payload (reason, amounts, dates) for the audit trail */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A rejected action: the issue code says why (invalid-transition, forbidden-role, …). */
export class CaseWorkflowError extends MedfundError {
  constructor(code: string, path: string, message: string) {
    super([issue(code, path, message)]);
    this.name = 'CaseWorkflowError';
  }
  get code(): string {
    return this.issues[0]!.code;
  }
}

/** Which states each action may start from, and which role may take it. */
export const TRANSITIONS: Readonly<Record<CaseActionKind, { from: readonly CaseState[]; role: ActorRole }>> = {
  notify: { from: ['open'], role: 'reviewer' },
  appeal: { from: ['notified'], role: 'institution' },
  // a reviewer may decide without an appeal (deadline passed or institution accepted)
  decide: { from: ['notified', 'appealed'], role: 'reviewer' },
  'require-rectification': { from: ['deducted'], role: 'reviewer' },
  'complete-rectification': { from: ['deducted'], role: 'institution' },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export interface NewCaseInput {
  readonly caseId: string;
  readonly violationId: string;
  readonly ruleId: string;
  readonly encounterId: string;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  readonly amountFen: Fen;
  readonly openedAt: string;
}

/** A new case in state `open` (the violation is recorded; version 0, no events yet). */
export function openCase(input: NewCaseInput): Case {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 0) {
    throw new CaseWorkflowError('invalid-amount', 'amountFen', `amount at stake must be integer fen ≥ 0, got ${input.amountFen}`);
  }
  if (!ISO_TS.test(input.openedAt)) {
    throw new CaseWorkflowError('invalid-timestamp', 'openedAt', `expected an ISO timestamp, got "${input.openedAt}"`);
  }
  return {
    ...input,
    state: 'open',
    updatedAt: input.openedAt,
    notifiedAt: null,
    appealDueDate: null,
    appeal: null,
    decision: null,
    rectification: { required: false, dueDate: null, doneDate: null, note: '' },
    version: 0,
  };
}

function fail(code: string, path: string, message: string): never {
  throw new CaseWorkflowError(code, path, message);
}

/**
 * Apply one action. Returns the next case and its event; throws {@link CaseWorkflowError} (and
 * leaves `c` untouched — it is immutable) when the action is not allowed.
 */
export function applyCaseAction(c: Case, action: CaseAction): { case: Case; event: CaseEvent } {
  const rule = TRANSITIONS[action.kind];
  if (!rule) fail('unknown-action', 'action', `unknown case action "${String((action as { kind: unknown }).kind)}"`);
  if (!rule.from.includes(c.state)) {
    fail(
      'invalid-transition',
      'action',
      `案件 ${c.caseId} 处于「${STATE_LABELS[c.state].zh}」，不能执行 ${action.kind} / cannot ${action.kind} a case in state ${c.state} (allowed from: ${rule.from.join(', ')})`,
    );
  }
  if (action.actor.role !== rule.role) {
    fail('forbidden-role', 'actor.role', `${action.kind} must be taken by a ${rule.role}, not a ${action.actor.role} (actor ${action.actor.id})`);
  }
  if (!action.actor.id.trim()) fail('actor-required', 'actor.id', 'every action names who took it (actor id is empty)');
  if (!ISO_TS.test(action.at)) fail('invalid-timestamp', 'at', `expected an ISO timestamp, got "${action.at}"`);
  if (action.at < c.updatedAt) {
    fail('timestamp-before-last-change', 'at', `action time ${action.at} is before the case's last change ${c.updatedAt}`);
  }
  const day = action.at.slice(0, 10);
  let next: Case;
  let details: Record<string, unknown>;
  let toState: CaseState = c.state;
  switch (action.kind) {
    case 'notify': {
      if (!ISO_DATE.test(action.appealDueDate)) fail('invalid-date', 'appealDueDate', `expected an ISO date, got "${action.appealDueDate}"`);
      if (action.appealDueDate < day) fail('appeal-due-before-notice', 'appealDueDate', `appeal due date ${action.appealDueDate} is before the notice date ${day}`);
      toState = 'notified';
      next = { ...c, state: toState, notifiedAt: action.at, appealDueDate: action.appealDueDate };
      details = { appealDueDate: action.appealDueDate, note: action.note ?? '' };
      break;
    }
    case 'appeal': {
      const reason = action.reason.trim();
      if (!reason) fail('appeal-reason-required', 'reason', 'an appeal (申诉) needs a reason');
      if (c.appealDueDate !== null && day > c.appealDueDate) {
        fail('appeal-deadline-passed', 'at', `appeal on ${day} is after the appeal due date ${c.appealDueDate}`);
      }
      const attachments = (action.attachments ?? []).map((a) => a.trim()).filter((a) => a.length > 0);
      toState = 'appealed';
      next = { ...c, state: toState, appeal: { reason, attachments, at: action.at } };
      details = { reason, attachments };
      break;
    }
    case 'decide': {
      const reason = action.reason.trim();
      if (!reason) fail('decision-reason-required', 'reason', 'a reviewer decision needs a reason');
      if (action.outcome !== 'deduct' && action.outcome !== 'clear') {
        fail('invalid-outcome', 'outcome', `decision outcome must be deduct or clear, got "${String(action.outcome)}"`);
      }
      let deductedFen = 0;
      if (action.outcome === 'deduct') {
        deductedFen = action.deductedFen ?? c.amountFen;
        // a violation without money at stake (e.g. a coding violation) is confirmed with 0 deducted
        const min = c.amountFen > 0 ? 1 : 0;
        if (!Number.isSafeInteger(deductedFen) || deductedFen < min || deductedFen > c.amountFen) {
          fail('invalid-deduction', 'deductedFen', `deduction must be integer fen in ${min}..${c.amountFen} (the amount at stake), got ${deductedFen}`);
        }
      } else if (action.deductedFen !== undefined && action.deductedFen !== 0) {
        fail('invalid-deduction', 'deductedFen', `a cleared case deducts nothing, got ${action.deductedFen}`);
      }
      toState = action.outcome === 'deduct' ? 'deducted' : 'cleared';
      next = { ...c, state: toState, decision: { outcome: action.outcome, reason, deductedFen, at: action.at } };
      details = { outcome: action.outcome, reason, deductedFen, appealed: c.state === 'appealed' };
      break;
    }
    case 'require-rectification': {
      if (c.rectification.required) fail('rectification-already-required', 'action', `case ${c.caseId} already requires rectification (due ${c.rectification.dueDate})`);
      if (!ISO_DATE.test(action.dueDate)) fail('invalid-date', 'dueDate', `expected an ISO date, got "${action.dueDate}"`);
      if (action.dueDate < day) fail('rectification-due-in-past', 'dueDate', `rectification due date ${action.dueDate} is before ${day}`);
      next = { ...c, rectification: { required: true, dueDate: action.dueDate, doneDate: null, note: action.note ?? '' } };
      details = { dueDate: action.dueDate, note: action.note ?? '' };
      break;
    }
    case 'complete-rectification': {
      if (!c.rectification.required) fail('rectification-not-required', 'action', `case ${c.caseId} has no rectification to complete`);
      if (c.rectification.doneDate !== null) fail('rectification-already-done', 'action', `rectification of case ${c.caseId} was done on ${c.rectification.doneDate}`);
      if (!ISO_DATE.test(action.doneDate)) fail('invalid-date', 'doneDate', `expected an ISO date, got "${action.doneDate}"`);
      if (action.doneDate > day) fail('rectification-done-in-future', 'doneDate', `done date ${action.doneDate} is after the report time ${action.at}`);
      next = { ...c, rectification: { ...c.rectification, doneDate: action.doneDate, note: action.note ?? c.rectification.note } };
      details = { doneDate: action.doneDate, dueDate: c.rectification.dueDate, onTime: action.doneDate <= (c.rectification.dueDate ?? action.doneDate), note: action.note ?? '' };
      break;
    }
  }
  const version = c.version + 1;
  next = { ...next, updatedAt: action.at, version };
  const event: CaseEvent = {
    caseId: c.caseId,
    seq: version,
    action: action.kind,
    fromState: c.state,
    toState,
    actorId: action.actor.id,
    actorRole: action.actor.role,
    at: action.at,
    details,
  };
  return { case: next, event };
}

/**
 * Invariants every reachable case satisfies (used by the property test and as a guard when a
 * case is read back from the store). Returns the violated invariants, empty when consistent.
 */
export function checkCaseInvariants(c: Case): string[] {
  const bad: string[] = [];
  if (!CASE_STATES.includes(c.state)) bad.push(`unknown state ${c.state}`);
  if (c.state === 'open' && (c.notifiedAt !== null || c.appeal !== null || c.decision !== null)) bad.push('open case has notice/appeal/decision');
  if (c.state !== 'open' && c.notifiedAt === null) bad.push(`${c.state} case was never notified`);
  if (c.state === 'appealed' && (c.appeal === null || c.decision !== null)) bad.push('appealed case needs an appeal and no decision');
  if (c.state === 'notified' && (c.appeal !== null || c.decision !== null)) bad.push('notified case has appeal/decision');
  if (c.state === 'deducted' && (c.decision?.outcome !== 'deduct' || c.decision.deductedFen < (c.amountFen > 0 ? 1 : 0) || c.decision.deductedFen > c.amountFen)) {
    bad.push('deducted case needs a deduct decision with 0 < deducted ≤ amount (0 when nothing is at stake)');
  }
  if (c.state === 'cleared' && (c.decision?.outcome !== 'clear' || c.decision.deductedFen !== 0)) bad.push('cleared case needs a clear decision deducting 0');
  if (c.rectification.required && c.state !== 'deducted') bad.push('rectification on a case that is not deducted');
  if (c.rectification.doneDate !== null && !c.rectification.required) bad.push('rectification done but never required');
  if (c.rectification.required && c.rectification.dueDate === null) bad.push('rectification without due date');
  if (c.appeal !== null && c.appealDueDate !== null && c.appeal.at.slice(0, 10) > c.appealDueDate) bad.push('appeal after its deadline');
  return bad;
}

export const STATE_LABELS: Readonly<Record<CaseState, { zh: string; en: string }>> = {
  open: { zh: '待通知', en: 'open' },
  notified: { zh: '已通知', en: 'notified' },
  appealed: { zh: '已申诉', en: 'appealed' },
  deducted: { zh: '已扣款', en: 'deducted' },
  cleared: { zh: '已撤销', en: 'cleared' },
};

/** Add whole days to an ISO date (UTC calendar arithmetic, no clock). */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(t)) throw new CaseWorkflowError('invalid-date', 'date', `expected an ISO date, got "${isoDate}"`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}
