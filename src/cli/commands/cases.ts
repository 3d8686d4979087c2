/**
 * `medfund cases` — the case workflow (违规案件处理): open cases from violations, list/show them with
 * their event log, and take actions: notify 通知, appeal 申诉, decide 复核决定 (deduct 扣款 / clear 撤销),
 * rectify 整改 (require with a due date / report done). Every accepted action is logged with who and when.
 */
import type { Command } from 'commander';
import { MedfundError, issue, yuanToFen } from '../../domain/index.js';
import {
  ACTOR_ROLES, CASE_STATES, STATE_LABELS, addDays, applyStoredAction, countCasesByState, getCase, getCaseEvents, listCases,
  openCasesFromViolations,
} from '../../casework/index.js';
import type { ActorRole, Case, CaseAction, CaseState } from '../../casework/index.js';
import { printJson, withStore, withStoreOptions, yuan } from '../util.js';

type StoreOpts = { db?: string; databaseUrl?: string; json?: boolean };

/** ISO timestamp "now" in local form (YYYY-MM-DDTHH:mm:ss), or the --at value checked. */
function timestamp(at: string | undefined): string {
  const v = at ?? new Date().toISOString().slice(0, 19);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) throw new MedfundError([issue('invalid-option', '--at', `expected YYYY-MM-DDTHH:mm:ss, got "${v}"`)]);
  return v;
}

function role(v: string | undefined, dflt: ActorRole): ActorRole {
  const r = v ?? dflt;
  if (!(ACTOR_ROLES as readonly string[]).includes(r)) throw new MedfundError([issue('invalid-option', '--role', `role must be ${ACTOR_ROLES.join(' or ')}, got "${r}"`)]);
  return r as ActorRole;
}

function caseLine(c: Case): string {
  const s = STATE_LABELS[c.state];
  return `${c.caseId.padEnd(24)} ${`${s.zh} ${s.en}`.padEnd(14)} ${c.ruleId.padEnd(16)} ${c.institutionId}/${c.departmentId}/${c.doctorId}  ${yuan(c.amountFen)}${c.decision ? `  扣款 deducted ${yuan(c.decision.deductedFen)}` : ''}${c.rectification.required ? `  整改 due ${c.rectification.dueDate}${c.rectification.doneDate ? ` done ${c.rectification.doneDate}` : ''}` : ''}`;
}

async function act(opts: StoreOpts, caseId: string, action: CaseAction): Promise<void> {
  await withStore(opts, async (store) => {
    const r = await applyStoredAction(store, caseId, action);
    if (opts.json) return printJson(r);
    process.stdout.write(`${r.event.action}: ${r.event.fromState} → ${r.event.toState} (#${r.event.seq}, ${r.event.actorRole} ${r.event.actorId}, ${r.event.at})\n${caseLine(r.case)}\n`);
  });
}

export function register(program: Command): void {
  const cases = program.command('cases').description('违规案件 Case workflow: open, list, show, notify, appeal, decide, rectify');

  withStoreOptions(cases.command('open').description('立案 Open a case for every violation that has none yet'))
    .option('--at <ts>', 'timestamp (default now)')
    .option('--json', 'JSON output')
    .action(async (o: StoreOpts & { at?: string }) => {
      await withStore(o, async (store) => {
        const r = await openCasesFromViolations(store, timestamp(o.at));
        if (o.json) return printJson(r);
        process.stdout.write(`新立案 opened ${r.opened} 件 cases (共 total ${r.total})\n`);
      });
    });

  withStoreOptions(cases.command('list').description('案件列表 List cases'))
    .option('--state <state>', `filter: ${CASE_STATES.join(' | ')}`)
    .option('--institution <id>', 'filter by institution')
    .option('--rule <id>', 'filter by rule')
    .option('--limit <n>', 'at most n cases', '50')
    .option('--json', 'JSON output')
    .action(async (o: StoreOpts & { state?: string; institution?: string; rule?: string; limit: string }) => {
      if (o.state && !(CASE_STATES as readonly string[]).includes(o.state)) {
        throw new MedfundError([issue('invalid-option', '--state', `state must be one of ${CASE_STATES.join(', ')}, got "${o.state}"`)]);
      }
      const limit = Number(o.limit);
      if (!Number.isSafeInteger(limit) || limit < 0) throw new MedfundError([issue('invalid-option', '--limit', `expected a count, got "${o.limit}"`)]);
      await withStore(o, async (store) => {
        const list = await listCases(store, { state: o.state as CaseState | undefined, institutionId: o.institution, ruleId: o.rule, limit });
        const counts = await countCasesByState(store);
        if (o.json) return printJson({ counts, cases: list });
        process.stdout.write(`案件 cases: ${CASE_STATES.map((s) => `${STATE_LABELS[s].zh} ${s} ${counts[s]}`).join(' · ')}\n`);
        for (const c of list) process.stdout.write(`${caseLine(c)}\n`);
      });
    });

  withStoreOptions(cases.command('show <caseId>').description('案件详情 Show a case and its event log'))
    .option('--json', 'JSON output')
    .action(async (caseId: string, o: StoreOpts) => {
      await withStore(o, async (store) => {
        const c = await getCase(store, caseId);
        if (!c) throw new MedfundError([issue('unknown-case', 'caseId', `no case ${caseId} (see medfund cases list)`)]);
        const events = await getCaseEvents(store, caseId);
        if (o.json) return printJson({ case: c, events });
        process.stdout.write(`${caseLine(c)}\n  违规 violation ${c.violationId} · 就诊 encounter ${c.encounterId} · 立案 opened ${c.openedAt}\n`);
        if (c.appealDueDate) process.stdout.write(`  申诉截止 appeal due ${c.appealDueDate}\n`);
        if (c.appeal) process.stdout.write(`  申诉 appeal: ${c.appeal.reason}${c.appeal.attachments.length ? ` [附件 ${c.appeal.attachments.join('; ')}]` : ''}\n`);
        if (c.decision) process.stdout.write(`  决定 decision: ${c.decision.outcome} — ${c.decision.reason}\n`);
        process.stdout.write(`  记录 log:\n`);
        for (const e of events) process.stdout.write(`   #${e.seq} ${e.at} ${e.actorRole} ${e.actorId}: ${e.action} ${e.fromState} → ${e.toState} ${JSON.stringify(e.details)}\n`);
      });
    });

  withStoreOptions(cases.command('notify <caseId>').description('通知 Notify the institution of a case (starts the appeal period)'))
    .requiredOption('--actor <id>', 'who notifies (reviewer id)')
    .option('--role <role>', 'actor role', 'reviewer')
    .option('--appeal-days <n>', 'appeal period in calendar days (local policy; default 10)', '10')
    .option('--at <ts>', 'timestamp (default now)')
    .option('--note <text>', 'note')
    .option('--json', 'JSON output')
    .action(async (caseId: string, o: StoreOpts & { actor: string; role: string; appealDays: string; at?: string; note?: string }) => {
      const at = timestamp(o.at);
      const days = Number(o.appealDays);
      if (!Number.isSafeInteger(days) || days < 0) throw new MedfundError([issue('invalid-option', '--appeal-days', `expected whole days ≥ 0, got "${o.appealDays}"`)]);
      await act(o, caseId, { kind: 'notify', at, actor: { id: o.actor, role: role(o.role, 'reviewer') }, appealDueDate: addDays(at.slice(0, 10), days), note: o.note });
    });

  withStoreOptions(cases.command('appeal <caseId>').description('申诉 Appeal a notified case with a reason (and attachments as text)'))
    .requiredOption('--actor <id>', 'who appeals (institution staff id)')
    .requiredOption('--reason <text>', '申诉理由 reason')
    .option('--attachment <text...>', '附件 attachments (titles / excerpts)')
    .option('--role <role>', 'actor role', 'institution')
    .option('--at <ts>', 'timestamp (default now)')
    .option('--json', 'JSON output')
    .action(async (caseId: string, o: StoreOpts & { actor: string; reason: string; attachment?: string[]; role: string; at?: string }) => {
      await act(o, caseId, { kind: 'appeal', at: timestamp(o.at), actor: { id: o.actor, role: role(o.role, 'institution') }, reason: o.reason, attachments: o.attachment ?? [] });
    });

  withStoreOptions(cases.command('decide <caseId>').description('复核决定 Reviewer decision: deduct 扣款 or clear 撤销'))
    .requiredOption('--actor <id>', 'reviewer id')
    .requiredOption('--outcome <deduct|clear>', 'deduct 扣款 | clear 撤销')
    .requiredOption('--reason <text>', 'decision reason')
    .option('--amount <yuan>', 'partial deduction in yuan (default: the whole amount at stake)')
    .option('--role <role>', 'actor role', 'reviewer')
    .option('--at <ts>', 'timestamp (default now)')
    .option('--json', 'JSON output')
    .action(async (caseId: string, o: StoreOpts & { actor: string; outcome: string; reason: string; amount?: string; role: string; at?: string }) => {
      if (o.outcome !== 'deduct' && o.outcome !== 'clear') throw new MedfundError([issue('invalid-option', '--outcome', `outcome must be deduct or clear, got "${o.outcome}"`)]);
      let deductedFen: number | undefined;
      if (o.amount !== undefined) {
        try {
          deductedFen = yuanToFen(o.amount);
        } catch (e) {
          throw new MedfundError([issue('invalid-option', '--amount', (e as Error).message)]);
        }
      }
      await act(o, caseId, { kind: 'decide', at: timestamp(o.at), actor: { id: o.actor, role: role(o.role, 'reviewer') }, outcome: o.outcome, reason: o.reason, deductedFen });
    });

  withStoreOptions(cases.command('rectify <caseId>').description('整改 Require rectification (--due, reviewer) or report it done (--done, institution)'))
    .requiredOption('--actor <id>', 'who acts')
    .option('--due <date>', 'require rectification by this date (reviewer)')
    .option('--done <date>', 'rectification completed on this date (institution)')
    .option('--note <text>', 'note')
    .option('--role <role>', 'actor role (default: reviewer with --due, institution with --done)')
    .option('--at <ts>', 'timestamp (default now)')
    .option('--json', 'JSON output')
    .action(async (caseId: string, o: StoreOpts & { actor: string; due?: string; done?: string; note?: string; role?: string; at?: string }) => {
      if ((o.due === undefined) === (o.done === undefined)) throw new MedfundError([issue('invalid-option', '--due/--done', 'give exactly one of --due <date> or --done <date>')]);
      const at = timestamp(o.at);
      const action: CaseAction =
        o.due !== undefined
          ? { kind: 'require-rectification', at, actor: { id: o.actor, role: role(o.role, 'reviewer') }, dueDate: o.due, note: o.note }
          : { kind: 'complete-rectification', at, actor: { id: o.actor, role: role(o.role, 'institution') }, doneDate: o.done!, note: o.note };
      await act(o, caseId, action);
    });
}
