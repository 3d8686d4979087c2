/**
 * Real-time mode (事中): settlement lines arrive one at a time. The evaluator keeps windowed state
 * per open encounter (its lines so far) and per doctor–drug pair (the last hour of prescriptions),
 * re-evaluates the touched encounter and emits only alerts it has not emitted before. The state is
 * plain JSON (snapshot/restore), so a monitor can checkpoint it with its stream position and resume
 * after a restart without losing or repeating alerts.
 */
import type { SettlementLine } from '../domain/index.js';
import type { AuditPlan, CompiledRule } from './compile.js';
import { dayNumber, minuteOf, toColumns } from './columns.js';
import { createEncounterAuditor, violationOf } from './evaluate.js';
import type { Alert, AuditEncounter, Violation } from './types.js';

export interface StreamEvaluatorOptions {
  /** days after an encounter's discharge (and last line) before its state is dropped; default 3 */
  retainDays?: number;
}

interface OpenEncounter {
  ctx: AuditEncounter;
  lines: SettlementLine[];
  /** ruleId → line ids already alerted ('' for an encounter-level alert) */
  alerted: Record<string, string[]>;
  lastDay: number;
}

interface DoctorEvent {
  t: number;
  person: string;
  lineId: string;
  encounterId: string;
  amountFen: number;
}

export interface StreamSnapshot {
  format: 'medfund-audit-stream/1';
  libraryVersion: string;
  streamDay: number;
  encounters: OpenEncounter[];
  doctor: { key: string; events: DoctorEvent[]; alerted: string[] }[];
}

export interface StreamEvaluator {
  /** Evaluate one arriving line with its encounter; returns the new alerts (none repeated). */
  push(line: SettlementLine, ctx: AuditEncounter): Alert[];
  /** JSON-serialisable windowed state. */
  snapshot(): StreamSnapshot;
  /** Replace the state with a snapshot taken earlier (same or newer library version). */
  restore(snapshot: unknown): void;
  /** number of open encounters held */
  readonly openEncounters: number;
}

export function createStreamEvaluator(plan: AuditPlan, opts: StreamEvaluatorOptions = {}): StreamEvaluator {
  const retainDays = opts.retainDays ?? 3;
  const auditor = createEncounterAuditor(plan, 'in');
  const doctorRules = (plan.byKind.get('doctor-high-frequency') ?? []).filter((r) => r.modeMask & 2) as CompiledRule[];
  let open = new Map<string, OpenEncounter>();
  let doctor = new Map<string, { events: DoctorEvent[]; alerted: Set<string> }>();
  let streamDay = 0;

  const evict = (): void => {
    for (const [id, o] of open) {
      const end = Math.max(dayNumber(o.ctx.encounter.dischargeDate), o.lastDay);
      if (end + retainDays < streamDay) open.delete(id);
    }
  };

  function toAlert(v: Violation, newLines: string[], trigger: string): Alert {
    const key = `${v.ruleId}|${v.encounterId}|${newLines.length ? newLines.join(',') : '-'}`;
    return { ...v, lineIds: v.lineIds, alertKey: key, triggerLineId: trigger };
  }

  function push(line: SettlementLine, ctx: AuditEncounter): Alert[] {
    const day = dayNumber(line.chargedAt);
    if (day > streamDay) {
      streamDay = day;
      evict();
    }
    const encId = ctx.encounter.id;
    let o = open.get(encId);
    if (!o) open.set(encId, (o = { ctx, lines: [], alerted: {}, lastDay: day }));
    o.ctx = ctx; // the encounter record may be updated (diagnoses coded later)
    if (o.lines.some((l) => l.id === line.id)) return []; // redelivered line: already evaluated
    o.lines.push(line);
    o.lastDay = Math.max(o.lastDay, day);
    const cols = toColumns(plan, o.lines);
    const vs: Violation[] = [];
    auditor.audit(ctx, cols, 0, cols.length, vs);
    const alerts: Alert[] = [];
    for (const v of vs) {
      const done = (o.alerted[v.ruleId] ??= []);
      if (v.lineIds.length === 0) {
        if (done.includes('')) continue;
        done.push('');
        alerts.push(toAlert(v, [], line.id));
        continue;
      }
      const fresh = v.lineIds.filter((id) => !done.includes(id));
      if (fresh.length === 0) continue;
      done.push(...fresh);
      alerts.push(toAlert(v, fresh, line.id));
    }
    if (doctorRules.length > 0 && line.category === 'drug') alerts.push(...doctorWindow(line, ctx));
    return alerts;
  }

  function doctorWindow(line: SettlementLine, ctx: AuditEncounter): Alert[] {
    const out: Alert[] = [];
    const key = `${line.doctorId}\u0001${line.itemCode}`;
    let w = doctor.get(key);
    if (!w) doctor.set(key, (w = { events: [], alerted: new Set() }));
    const t = minuteOf(line.chargedAt);
    if (w.events.some((ev) => ev.lineId === line.id)) return out; // redelivered
    w.events.push({ t, person: ctx.encounter.personId, lineId: line.id, encounterId: ctx.encounter.id, amountFen: line.amountFen });
    w.events.sort((a, b) => a.t - b.t);
    for (const r of doctorRules) {
      const win = Number(r.p['windowMinutes'] ?? 60);
      const minPatients = Number(r.p['minPatients'] ?? 8);
      // drop events that can no longer share a window with new arrivals (lines may arrive a little out of order)
      const horizon = w.events[w.events.length - 1]!.t - 2 * win;
      w.events = w.events.filter((ev) => ev.t >= horizon);
      const inWin = w.events.filter((ev) => Math.abs(ev.t - t) <= win);
      // the densest window containing the new line
      let best: DoctorEvent[] = [];
      for (const start of inWin) {
        const sel = inWin.filter((ev) => ev.t >= start.t && ev.t - start.t <= win);
        if (new Set(sel.map((x) => x.person)).size > new Set(best.map((x) => x.person)).size) best = sel;
      }
      if (new Set(best.map((x) => x.person)).size < minPatients) continue;
      const fresh = best.filter((ev) => !w.alerted.has(ev.lineId));
      const byEnc = new Map<string, DoctorEvent[]>();
      for (const ev of fresh) {
        w.alerted.add(ev.lineId);
        const l = byEnc.get(ev.encounterId) ?? [];
        l.push(ev);
        byEnc.set(ev.encounterId, l);
      }
      for (const [encId, evs] of byEnc) {
        const enc = open.get(encId)?.ctx.encounter ?? ctx.encounter;
        const evidence = { doctorId: line.doctorId, itemCode: line.itemCode, minPatients, windowMinutes: win, patients: new Set(best.map((x) => x.person)).size };
        const v = violationOf(
          r,
          { encounterId: encId, institutionId: enc.institutionId, departmentId: line.departmentId, doctorId: line.doctorId },
          evs.map((x) => x.lineId),
          evs.reduce((s, x) => s + x.amountFen, 0),
          evidence,
        );
        out.push(toAlert(v, v.lineIds, line.id));
      }
    }
    return out;
  }

  return {
    push,
    get openEncounters() {
      return open.size;
    },
    snapshot(): StreamSnapshot {
      return JSON.parse(
        JSON.stringify({
          format: 'medfund-audit-stream/1',
          libraryVersion: plan.libraryVersion,
          streamDay,
          encounters: [...open.values()],
          doctor: [...doctor].map(([key, w]) => ({ key, events: w.events, alerted: [...w.alerted] })),
        }),
      ) as StreamSnapshot;
    },
    restore(snapshot: unknown): void {
      const s = snapshot as StreamSnapshot;
      if (!s || s.format !== 'medfund-audit-stream/1') throw new TypeError('restore: not a medfund-audit-stream/1 snapshot');
      streamDay = s.streamDay;
      open = new Map(s.encounters.map((o) => [o.ctx.encounter.id, structuredClone(o)]));
      doctor = new Map(s.doctor.map((d) => [d.key, { events: [...d.events], alerted: new Set(d.alerted) }]));
    },
  };
}
