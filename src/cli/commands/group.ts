/**
 * `medfund group` — DRG grouping of a cases file (streaming, constant memory) or version impact
 * (`--compare A B`) over a file or over the imported history; `medfund drg …` — schemes, a stored
 * run over the history, indicators and pre-discharge prediction.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { MedfundError, issue } from '../../domain/index.js';
import {
  GROUP_COLUMNS,
  caseColumnIndex,
  caseFromRow,
  chooseScheme,
  classifyMortalityRisk,
  computeIndicators,
  compareSchemes,
  csvField,
  group,
  groupRow,
  listSchemes,
  loadPaymentParams,
  loadScheme,
  predictStay,
  splitCsvRecord,
  type CompareReport,
  type DrgCase,
  type GroupResult,
  type Scheme,
} from '../../drg/index.js';
import { runDrgHistory, summarise } from '../demo-steps/drg.js';
import { printJson, progressBar, withStore, withStoreOptions } from '../util.js';

type StoreOpts = { db?: string; databaseUrl?: string };

/** Stream the records of a CSV file (quoted fields may span lines), with the byte position. */
async function* csvRecords(path: string): AsyncGenerator<{ fields: string[]; line: number; bytes: number }> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let pending = '';
  let line = 0;
  let startLine = 0;
  let bytes = 0;
  for await (const raw of rl) {
    line++;
    bytes += Buffer.byteLength(raw) + 1;
    const text = pending ? `${pending}\n${raw}` : raw;
    if (!pending) startLine = line;
    if (text === '') continue;
    const fields = splitCsvRecord(text);
    if (fields === null) {
      pending = text;
      continue;
    }
    pending = '';
    yield { fields, line: startLine, bytes };
  }
  if (pending) throw new MedfundError([issue('csv-unterminated-quote', `line ${startLine}`, `未闭合的引号 / a quoted field opened on line ${startLine} never closes`)]);
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function schemeOption(name: string | undefined): Scheme {
  // the engine is clock-free; the command picks "today" for the default scheme
  return loadScheme(name ?? chooseScheme(new Date().toISOString().slice(0, 10)));
}

interface GroupFileSummary {
  scheme: string;
  cases: number;
  statuses: Record<string, number>;
  seconds: number;
}

async function groupFile(inPath: string, outPath: string | undefined, schemeName: string | undefined, trace: boolean): Promise<GroupFileSummary> {
  const scheme = schemeOption(schemeName);
  const size = statSync(inPath).size;
  const out: Writable = outPath ? createWriteStream(outPath, { encoding: 'utf8' }) : process.stdout;
  const bar = outPath ? progressBar('DRG 分组 grouping', size, ' bytes') : { update: () => undefined, stop: () => undefined };
  const statuses: Record<string, number> = {};
  let idx: ReturnType<typeof caseColumnIndex> | undefined;
  let cases = 0;
  const t0 = process.hrtime.bigint();
  await write(out, `${[...GROUP_COLUMNS, ...(trace ? ['trace'] : [])].join(',')}\n`);
  let buf = '';
  try {
    for await (const rec of csvRecords(inPath)) {
      if (!idx) {
        idx = caseColumnIndex(rec.fields);
        continue;
      }
      const c = caseFromRow(rec.fields, idx, scheme);
      const r = group(c, scheme, { severityTrace: trace });
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      buf += groupRow(c.id ?? '', r) + (trace ? `,${csvField(JSON.stringify(r.trace))}` : '') + '\n';
      if (++cases % 2000 === 0) {
        await write(out, buf);
        buf = '';
        bar.update(rec.bytes);
      }
    }
    if (!idx) throw new MedfundError([issue('empty-file', inPath, '病例文件为空 / the cases file has no header row')]);
    await write(out, buf);
  } finally {
    bar.update(size);
    bar.stop();
    if (outPath) {
      out.end();
      await once(out, 'finish');
    }
  }
  return { scheme: scheme.name, cases, statuses, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function compareFile(inPath: string, outPath: string | undefined, a: Scheme, b: Scheme): Promise<CompareReport> {
  const cmp = compareSchemes(a.name, b.name);
  const out: Writable | undefined = outPath ? createWriteStream(outPath, { encoding: 'utf8' }) : undefined;
  let idx: ReturnType<typeof caseColumnIndex> | undefined;
  if (out) await write(out, `id,${a.name}_status,${a.name}_drg,${b.name}_status,${b.name}_drg\n`);
  let buf = '';
  let n = 0;
  for await (const rec of csvRecords(inPath)) {
    if (!idx) {
      idx = caseColumnIndex(rec.fields);
      continue;
    }
    // each scheme reads the list fields its own way (FORMAT.md § 2)
    const ra: GroupResult = group(caseFromRow(rec.fields, idx, a), a, { severityTrace: false });
    const rb: GroupResult = group(caseFromRow(rec.fields, idx, b), b, { severityTrace: false });
    cmp.add({ a: ra, b: rb });
    if (out) {
      buf += [rec.fields[idx.id] ?? '', ra.status, ra.drg, rb.status, rb.drg].map(csvField).join(',') + '\n';
      if (++n % 2000 === 0) {
        await write(out, buf);
        buf = '';
      }
    }
  }
  if (out) {
    await write(out, buf);
    out.end();
    await once(out, 'finish');
  }
  return cmp.report();
}

function printCompare(r: CompareReport): void {
  const moved = r.moves.filter((m) => m.from !== m.to).reduce((a, m) => a + m.cases, 0);
  process.stdout.write(
    `版本对比 version impact ${r.schemeA} → ${r.schemeB}: ${r.cases} 例 cases, 换组 changed DRG ${moved}, 状态变化 status changed ${r.statusChanged}; DRG 组数 ${r.drgsA} → ${r.drgsB}\n`,
  );
  process.stdout.write('状态 status:\n');
  for (const s of r.statusMatrix) process.stdout.write(`  ${s.from.padEnd(14)} → ${s.to.padEnd(14)} ${s.cases}\n`);
  process.stdout.write('最常见的换组 most frequent moves:\n');
  for (const m of r.moves.filter((x) => x.from !== x.to).slice(0, 15)) process.stdout.write(`  ${m.from.padEnd(6)} → ${m.to.padEnd(6)} ${m.cases}\n`);
  if (r.payment) {
    const y = (f: number) => (f / 100).toFixed(2);
    process.stdout.write(`支付影响 payment impact: ${y(r.payment.totalAFen)} → ${y(r.payment.totalBFen)} 元 (${y(r.payment.totalBFen - r.payment.totalAFen)})\n`);
    for (const i of r.payment.byInstitution) process.stdout.write(`  机构 ${i.key}: ${i.cases} 例, ${y(i.paymentAFen)} → ${y(i.paymentBFen)} 元\n`);
    for (const d of r.payment.byDepartment.slice(0, 20)) process.stdout.write(`  科室 ${d.key}: ${d.cases} 例, ${y(d.paymentAFen)} → ${y(d.paymentBFen)} 元\n`);
  }
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('group')
      .description('DRG 分组 Group cases: --in cases.csv --out groups.csv [--scheme], or --compare A B (file or imported history)'),
  )
    .option('--in <file>', 'cases CSV (id,gender,age,ageDays,weightGrams,dept,losDays,dischargeType,diagnoses,procedures)')
    .option('--out <file>', 'groups CSV id,status,mdc,adrg,drg (default: stdout)')
    .option('--scheme <name>', 'scheme name, e.g. chs-drg-1.1 | chs-drg-2.0 (default: the one in force today)')
    .option('--trace', 'add a JSON trace column (MDC/ADRG/DRG rules, CC/MCC and exclusions)')
    .option('--compare <schemes...>', 'two schemes: regroup and report moves (and, on the imported history, payment impact)')
    .option('--json', 'JSON summary on stdout')
    .action(async (o: StoreOpts & { in?: string; out?: string; scheme?: string; trace?: boolean; compare?: string[]; json?: boolean }) => {
      if (o.compare) {
        if (o.compare.length !== 2) {
          throw new MedfundError([issue('invalid-option', '--compare', `需要两个方案 / expected two scheme names, got ${o.compare.length}: ${o.compare.join(' ')}`)]);
        }
        const [a, b] = o.compare as [string, string];
        if (o.in) {
          const r = await compareFile(o.in, o.out, loadScheme(a), loadScheme(b));
          return o.json ? printJson(r) : printCompare(r);
        }
        // the imported history: weights and rates per scheme, payment impact per hospital/department
        await withStore(o, async (store) => {
          const run = await runDrgHistory(store, { scheme: b, compareWith: a, store: false, log: (l) => process.stderr.write(`${l}\n`) });
          if (!run.compare) throw new MedfundError('no comparison produced');
          if (o.json) return printJson(run.compare);
          printCompare(run.compare);
        });
        return;
      }
      if (!o.in) throw new MedfundError([issue('missing-option', '--in', '需要 --in 病例文件 / --in <cases.csv> is required (or --compare A B)')]);
      const s = await groupFile(o.in, o.out, o.scheme, Boolean(o.trace));
      if (!o.out && !o.json) return;
      if (o.json) return printJson({ ...s, casesPerSecond: Math.round(s.cases / s.seconds) });
      process.stdout.write(
        `已分组 grouped ${s.cases} 例 cases with ${s.scheme} in ${s.seconds.toFixed(2)} s (${Math.round(s.cases / s.seconds)} cases/s): ${Object.entries(s.statuses).map(([k, v]) => `${k} ${v}`).join(', ')} → ${o.out}\n`,
      );
    });

  const drg = program.command('drg').description('DRG 付费 schemes, stored runs over the history, prediction');

  drg
    .command('schemes')
    .description('可用分组方案 List DRG schemes and their effective dates')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => {
      const list = listSchemes();
      if (o.json) return printJson(list.map(({ dir: _dir, ...s }) => s));
      for (const s of list) process.stdout.write(`${s.name.padEnd(14)} ${s.effectiveFrom} … ${s.effectiveTo}  ${s.title}\n`);
    });

  withStoreOptions(drg.command('run').description('全量分组与付费 Group every imported inpatient stay, compute weights and rate, price and store'))
    .option('--scheme <name>', 'scheme (default: the one in force at the latest discharge)')
    .option('--compare-with <name>', 'also regroup under this scheme and report the version impact')
    .option('--json', 'JSON output')
    .action(async (o: StoreOpts & { scheme?: string; compareWith?: string; json?: boolean }) => {
      await withStore(o, async (store) => {
        const run = await runDrgHistory(store, {
          ...(o.scheme ? { scheme: o.scheme } : {}),
          ...(o.compareWith ? { compareWith: o.compareWith } : {}),
          log: (l) => process.stderr.write(`${l}\n`),
        });
        if (o.json) {
          return printJson({
            stays: run.stays,
            scheme: run.primary.scheme,
            params: run.primary.params.id,
            rate: run.primary.rate,
            weights: run.primary.weights.drgs.length,
            riv: run.primary.weights.riv,
            indicators: run.primary.indicatorsByInstitution,
            compare: run.compare,
          });
        }
        for (const l of summarise(run)) process.stdout.write(`${l}\n`);
      });
    });

  withStoreOptions(drg.command('indicators').description('DRG 绩效指标 DRG组数, CMI, 费用/时间消耗指数, 低风险组死亡率 from the stored run'))
    .option('--by <dimension>', 'institution | department | doctor | month', 'institution')
    .option('--scheme <name>', 'scheme of the stored run (default: the latest present)')
    .option('--json', 'JSON output')
    .action(async (o: StoreOpts & { by: string; scheme?: string; json?: boolean }) => {
      const dims = ['institution', 'department', 'doctor', 'month'] as const;
      if (!(dims as readonly string[]).includes(o.by)) {
        throw new MedfundError([issue('invalid-option', '--by', `expected one of ${dims.join(', ')}, got "${o.by}"`)]);
      }
      await withStore(o, async (store) => {
        const present = (await store.query<{ scheme: string }>('SELECT DISTINCT scheme FROM drg_results ORDER BY scheme')).map((r) => r.scheme);
        const schemeName = o.scheme ?? present.at(-1);
        if (!schemeName || !present.includes(schemeName)) {
          throw new MedfundError([issue('no-drg-results', '--scheme', `没有已存储的分组结果 / no stored DRG results${o.scheme ? ` for ${o.scheme}` : ''} (present: ${present.join(', ') || 'none'}); run \`medfund drg run\` first`)]);
        }
        const rows = await store.query<Record<string, string | number>>(
          `SELECT r.institution_id, r.department_id, r.doctor_id, r.discharge_date, r.status, r.drg, r.cost_fen, r.los_days, e.discharge_type
             FROM drg_results r JOIN encounters e ON e.id = r.encounter_id WHERE r.scheme = $1`,
          [schemeName],
        );
        const w = await store.query<{ drg: string; weight: number; avg_cost_fen: number; avg_los_days: number }>(
          'SELECT drg, weight, avg_cost_fen, avg_los_days FROM drg_weights WHERE scheme = $1',
          [schemeName],
        );
        const refs = new Map(w.map((r) => [r.drg, { weight: Number(r.weight), avgCostFen: Number(r.avg_cost_fen), avgLosDays: Number(r.avg_los_days) }]));
        const success = loadScheme(schemeName).profile.results.successStatus;
        const key = (r: Record<string, string | number>) =>
          o.by === 'month' ? String(r['discharge_date']).slice(0, 7) : o.by === 'institution' ? String(r['institution_id']) : o.by === 'department' ? `${r['institution_id']}/${r['department_id']}` : `${r['institution_id']}/${r['doctor_id']}`;
        // low-risk DRGs from the region's own mortality (the stored history is the reference population)
        const deaths = new Map<string, [number, number]>();
        for (const r of rows) {
          if (r['status'] !== success) continue;
          const d = deaths.get(String(r['drg'])) ?? [0, 0];
          d[0] += r['discharge_type'] === '5' ? 1 : 0;
          d[1]++;
          deaths.set(String(r['drg']), d);
        }
        const risk = classifyMortalityRisk(new Map([...deaths].map(([drg, [dead, n]]) => [drg, dead / n])));
        const lowRisk = new Set([...risk].filter(([, x]) => x.risk === 'low').map(([d]) => d));
        const ind = computeIndicators(
          rows.map((r) => ({ groupKey: key(r), status: String(r['status']), drg: String(r['drg']), costFen: Number(r['cost_fen']), losDays: Number(r['los_days']), died: r['discharge_type'] === '5' })),
          refs,
          lowRisk,
          success,
        );
        if (o.json) return printJson({ scheme: schemeName, by: o.by, lowRiskDrgs: lowRisk.size, indicators: ind });
        process.stdout.write(`DRG 绩效 (${schemeName}, by ${o.by}; 低风险组 low-risk DRGs ${lowRisk.size})\n`);
        process.stdout.write(`${'key'.padEnd(24)} ${'病例'.padStart(6)} ${'入组'.padStart(6)} ${'组数'.padStart(5)} ${'总权重'.padStart(10)} ${'CMI'.padStart(7)} ${'费用指数'.padStart(8)} ${'时间指数'.padStart(8)} 低风险死亡率\n`);
        for (const x of ind) {
          process.stdout.write(
            `${x.groupKey.padEnd(24)} ${String(x.cases).padStart(6)} ${String(x.groupedCases).padStart(6)} ${String(x.drgCount).padStart(5)} ${x.totalWeight.toFixed(2).padStart(10)} ${x.cmi.toFixed(4).padStart(7)} ${x.costIndex.toFixed(4).padStart(8)} ${x.timeIndex.toFixed(4).padStart(8)} ${Number.isNaN(x.lowRiskMortality) ? '—' : `${(x.lowRiskMortality * 100).toFixed(2)}% (${x.lowRiskDeaths}/${x.lowRiskCases})`}\n`,
          );
        }
      });
    });

  withStoreOptions(drg.command('predict').description('在院预测 Predict DRG, payment and margin for a stay in progress'))
    .requiredOption('--case <json>', 'the stay as JSON: {"gender":"1","age":"65","diagnoses":[…],"procedures":[…]}')
    .requiredOption('--cost <yuan>', 'charges so far in yuan')
    .requiredOption('--days <n>', 'days in hospital so far')
    .option('--scheme <name>', 'scheme (default: the one in force today)')
    .option('--json', 'JSON output')
    .action(async (o: StoreOpts & { case: string; cost: string; days: string; scheme?: string; json?: boolean }) => {
      let c: DrgCase;
      try {
        c = JSON.parse(o.case) as DrgCase;
      } catch (err) {
        throw new MedfundError([issue('invalid-option', '--case', `not valid JSON: ${(err as Error).message}`)]);
      }
      const cost = Math.round(Number(o.cost) * 100);
      const days = Number(o.days);
      if (!Number.isFinite(cost) || cost < 0) throw new MedfundError([issue('invalid-option', '--cost', `expected yuan ≥ 0, got "${o.cost}"`)]);
      if (!Number.isInteger(days) || days < 1) throw new MedfundError([issue('invalid-option', '--days', `expected whole days ≥ 1, got "${o.days}"`)]);
      const scheme = schemeOption(o.scheme);
      await withStore(o, async (store) => {
        const w = await store.query<{ drg: string; weight: number; avg_cost_fen: number; avg_los_days: number }>(
          'SELECT drg, weight, avg_cost_fen, avg_los_days FROM drg_weights WHERE scheme = $1',
          [scheme.name],
        );
        const rates = await store.query<{ rate_per_weight_fen: number; version: string }>('SELECT rate_per_weight_fen, version FROM drg_rates WHERE scheme = $1', [scheme.name]);
        if (w.length === 0 || rates.length === 0) {
          throw new MedfundError([issue('no-weights', 'drg_weights', `没有 ${scheme.name} 的权重，请先运行 medfund drg run / no stored weights for ${scheme.name}: run \`medfund drg run --scheme ${scheme.name}\` first`)]);
        }
        const refs = new Map(w.map((r) => [r.drg, { weight: Number(r.weight), avgCostFen: Number(r.avg_cost_fen), avgLosDays: Number(r.avg_los_days) }]));
        const p = predictStay({ case: c, costSoFarFen: cost, daysSoFar: days }, scheme, refs, Number(rates[0]!.rate_per_weight_fen), loadPaymentParams({ id: rates[0]!.version }));
        if (o.json) return printJson(p);
        process.stdout.write(
          `${p.group.status} ${p.group.drg} ${p.drgName}\n支付标准 standard ${(p.standardPaymentFen / 100).toFixed(2)} 元, 预计费用 projected cost ${(p.projectedCostFen / 100).toFixed(2)} 元 (${p.expectedLosDays} 天), 预计支付 payment ${(p.payment.paymentFen / 100).toFixed(2)} 元 [${p.payment.caseType}]\n预警 warning: ${p.warning} — ${p.advice}\n`,
        );
      });
    });
}
