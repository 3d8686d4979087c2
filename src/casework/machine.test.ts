import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import {
  CASE_ACTIONS,
  CaseWorkflowError,
  TRANSITIONS,
  applyCaseAction,
  checkCaseInvariants,
  openCase,
  type Case,
  type CaseAction,
  type CaseEvent,
} from './machine.js';

const reviewer = { id: 'R-001', role: 'reviewer' } as const;
const hospital = { id: 'H-yb-01', role: 'institution' } as const;

function fresh(amountFen = 12_000): Case {
  return openCase({
    caseId: 'C-V1',
    violationId: 'V1',
    ruleId: 'GZ-TEST',
    encounterId: 'E1',
    institutionId: 'I1',
    departmentId: 'D1',
    doctorId: 'P1',
    amountFen,
    openedAt: '2026-03-01T09:00:00',
  });
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaseWorkflowError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('case workflow', () => {
  it('walks violation → notified → appealed → deducted → rectified and logs each step', () => {
    let c = fresh();
    const log: CaseEvent[] = [];
    const step = (a: CaseAction): void => {
      const r = applyCaseAction(c, a);
      c = r.case;
      log.push(r.event);
    };
    step({ kind: 'notify', at: '2026-03-02T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' });
    step({ kind: 'appeal', at: '2026-03-05T15:30:00', actor: hospital, reason: '患者确有适应症', attachments: ['病程记录 3月1日'] });
    step({ kind: 'decide', at: '2026-03-10T09:00:00', actor: reviewer, outcome: 'deduct', reason: '病历不支持', deductedFen: 8_000 });
    step({ kind: 'require-rectification', at: '2026-03-10T09:05:00', actor: reviewer, dueDate: '2026-04-10' });
    step({ kind: 'complete-rectification', at: '2026-04-01T11:00:00', actor: hospital, doneDate: '2026-03-31' });
    expect(c.state).toBe('deducted');
    expect(c.decision?.deductedFen).toBe(8_000);
    expect(c.rectification).toEqual({ required: true, dueDate: '2026-04-10', doneDate: '2026-03-31', note: '' });
    expect(log.map((e) => `${e.seq}:${e.action}:${e.fromState}→${e.toState}:${e.actorId}`)).toEqual([
      '1:notify:open→notified:R-001',
      '2:appeal:notified→appealed:H-yb-01',
      '3:decide:appealed→deducted:R-001',
      '4:require-rectification:deducted→deducted:R-001',
      '5:complete-rectification:deducted→deducted:H-yb-01',
    ]);
    expect(c.version).toBe(5);
    expect(checkCaseInvariants(c)).toEqual([]);
  });

  it('clears a case when the appeal is upheld, deducting nothing', () => {
    let c = applyCaseAction(fresh(), { kind: 'notify', at: '2026-03-02T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' }).case;
    c = applyCaseAction(c, { kind: 'appeal', at: '2026-03-03T10:00:00', actor: hospital, reason: '编码错误已更正' }).case;
    c = applyCaseAction(c, { kind: 'decide', at: '2026-03-04T10:00:00', actor: reviewer, outcome: 'clear', reason: '申诉成立' }).case;
    expect(c.state).toBe('cleared');
    expect(c.decision?.deductedFen).toBe(0);
  });

  it('rejects invalid transitions and bad input with specific errors', () => {
    const c = fresh();
    expect(code(() => applyCaseAction(c, { kind: 'appeal', at: '2026-03-02T10:00:00', actor: hospital, reason: 'x' }))).toBe('invalid-transition');
    expect(() => applyCaseAction(c, { kind: 'appeal', at: '2026-03-02T10:00:00', actor: hospital, reason: 'x' })).toThrow(/allowed from: notified/);
    expect(code(() => applyCaseAction(c, { kind: 'notify', at: '2026-03-02T10:00:00', actor: hospital, appealDueDate: '2026-03-12' }))).toBe('forbidden-role');
    expect(code(() => applyCaseAction(c, { kind: 'notify', at: '2026-02-01T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' }))).toBe(
      'timestamp-before-last-change',
    );
    const n = applyCaseAction(c, { kind: 'notify', at: '2026-03-02T10:00:00', actor: reviewer, appealDueDate: '2026-03-12' }).case;
    expect(code(() => applyCaseAction(n, { kind: 'appeal', at: '2026-03-13T08:00:00', actor: hospital, reason: '迟到' }))).toBe('appeal-deadline-passed');
    expect(code(() => applyCaseAction(n, { kind: 'appeal', at: '2026-03-12T23:00:00', actor: hospital, reason: '   ' }))).toBe('appeal-reason-required');
    expect(code(() => applyCaseAction(n, { kind: 'decide', at: '2026-03-13T08:00:00', actor: reviewer, outcome: 'deduct', reason: 'r', deductedFen: 12_001 }))).toBe(
      'invalid-deduction',
    );
    expect(code(() => applyCaseAction(n, { kind: 'require-rectification', at: '2026-03-13T08:00:00', actor: reviewer, dueDate: '2026-04-01' }))).toBe(
      'invalid-transition',
    );
    const d = applyCaseAction(n, { kind: 'decide', at: '2026-03-13T08:00:00', actor: reviewer, outcome: 'deduct', reason: '未申诉' }).case;
    expect(d.decision?.deductedFen).toBe(12_000);
    expect(code(() => applyCaseAction(d, { kind: 'complete-rectification', at: '2026-03-14T08:00:00', actor: hospital, doneDate: '2026-03-14' }))).toBe(
      'rectification-not-required',
    );
    expect(code(() => applyCaseAction(d, { kind: 'decide', at: '2026-03-14T08:00:00', actor: reviewer, outcome: 'clear', reason: 'r' }))).toBe(
      'invalid-transition',
    );
  });

  // Any sequence of actions — valid or not, by any role, with any payload — never reaches an
  // inconsistent case, rejected actions change nothing, and the log has exactly one entry per
  // accepted action, numbered 1..n, each linking the previous state to the next.
  const actionArb: fc.Arbitrary<(at: string) => CaseAction> = fc
    .record({
      kind: fc.constantFrom(...CASE_ACTIONS),
      role: fc.constantFrom('reviewer' as const, 'institution' as const),
      dayOffset: fc.integer({ min: -3, max: 20 }),
      outcome: fc.constantFrom('deduct' as const, 'clear' as const),
      deductedFen: fc.option(fc.integer({ min: -10, max: 20_000 }), { nil: undefined }),
      reason: fc.constantFrom('', '  ', '申诉理由', 'reason'),
    })
    .map((r) => (at: string): CaseAction => {
      const actor = { id: r.role === 'reviewer' ? 'R-1' : 'H-1', role: r.role };
      const date = new Date(Date.parse(`${at.slice(0, 10)}T00:00:00Z`) + r.dayOffset * 86_400_000).toISOString().slice(0, 10);
      switch (r.kind) {
        case 'notify':
          return { kind: 'notify', at, actor, appealDueDate: date };
        case 'appeal':
          return { kind: 'appeal', at, actor, reason: r.reason, attachments: ['附件'] };
        case 'decide':
          return { kind: 'decide', at, actor, outcome: r.outcome, reason: r.reason, deductedFen: r.deductedFen };
        case 'require-rectification':
          return { kind: 'require-rectification', at, actor, dueDate: date };
        case 'complete-rectification':
          return { kind: 'complete-rectification', at, actor, doneDate: date };
      }
    });

  fcTest.prop([fc.array(fc.tuple(actionArb, fc.integer({ min: -1, max: 5 })), { maxLength: 30 }), fc.integer({ min: 0, max: 50_000 })], {
    numRuns: 300,
  })('no action sequence reaches an invalid state; one log entry per accepted transition', (steps, amountFen) => {
    let c = fresh(amountFen);
    const log: CaseEvent[] = [];
    let accepted = 0;
    let clock = Date.parse('2026-03-01T09:00:00Z');
    for (const [make, dayStep] of steps) {
      clock += dayStep * 86_400_000; // may go backwards: those actions must be rejected
      const at = new Date(clock).toISOString().slice(0, 19);
      const action = make(at);
      const before = c;
      try {
        const r = applyCaseAction(c, action);
        expect(TRANSITIONS[action.kind].from).toContain(before.state);
        expect(r.event.fromState).toBe(before.state);
        expect(r.event.toState).toBe(r.case.state);
        c = r.case;
        log.push(r.event);
        accepted++;
      } catch (e) {
        if (!(e instanceof CaseWorkflowError)) throw e;
        expect(c).toBe(before);
        if (!TRANSITIONS[action.kind].from.includes(before.state)) expect(e.code).toBe('invalid-transition');
      }
      expect(checkCaseInvariants(c)).toEqual([]);
    }
    expect(log).toHaveLength(accepted);
    expect(c.version).toBe(accepted);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    for (let i = 1; i < log.length; i++) {
      expect(log[i]!.fromState).toBe(log[i - 1]!.toState);
      expect(log[i]!.at >= log[i - 1]!.at).toBe(true);
    }
  });
});
