/** `medfund rules` — list the rule library, show one rule, or print national-class coverage. */
import type { Command } from 'commander';
import { MedfundError, issue } from '../../domain/index.js';
import { compileRules, loadRuleLibrary, ruleCoverage, ACTION_ZH, RESULT_TYPE_ZH } from '../../audit/index.js';
import { printJson } from '../util.js';

export function register(program: Command): void {
  program
    .command('rules')
    .description('规则库 List rules (`rules`), show one (`rules show <id>`), national coverage (`rules --coverage`)')
    .argument('[action]', 'list | show', 'list')
    .argument('[id]', 'rule id for show')
    .option('--coverage', '国家规则库88类覆盖 coverage of the 88 national classes')
    .option('--as-of <date>', 'rule versions in force on this date (default: today)')
    .option('--json', 'JSON output')
    .action((action: string, id: string | undefined, opts: { coverage?: boolean; json?: boolean; asOf?: string }) => {
      const library = loadRuleLibrary();
      const plan = compileRules(library, { asOf: opts.asOf ?? new Date().toISOString().slice(0, 10) });
      if (opts.coverage) {
        const c = ruleCoverage(plan);
        if (opts.json) return printJson(c);
        process.stdout.write(`国家规则类覆盖 national classes implemented: ${c.classesImplemented} / ${c.classesTotal}; 知识点 knowledge points loaded: ${c.knowledgePoints}\n`);
        for (const x of c.classes) process.stdout.write(`  ${x.implemented ? '✔' : '·'} ${String(x.seq).padStart(2)} ${x.nameZh} — ${x.implemented ? x.kinds.join(', ') : 'not implemented (data cannot express it)'}\n`);
        return;
      }
      if (action === 'show') {
        const def = library.rules.rules.find((r) => r.id === id);
        if (!def) throw new MedfundError([issue('unknown-rule', 'id', `no rule "${id ?? ''}" in library ${library.rules.version}`)]);
        if (opts.json) return printJson(def);
        process.stdout.write(`${def.id} v${def.version}  ${def.nameZh} / ${def.nameEn}\n`);
        process.stdout.write(`  kind ${def.kind}; category ${def.category}; action ${ACTION_ZH[def.action]} ${def.action}; result ${RESULT_TYPE_ZH[def.resultType]}\n`);
        process.stdout.write(`  modes ${def.modes.join('/')}; stage ${def.stage.join('、')}; window ${def.timeWindow}; scenarios ${def.scenarios.join('、')}\n`);
        process.stdout.write(`  national classes ${def.nationalClasses.join(', ') || '-'}; type ${def.irregularityType ?? '-'}; knowledge ${def.knowledge.join(', ')}\n`);
        process.stdout.write(`  params ${JSON.stringify(def.params)}\n  effective ${def.effectiveFrom} … ${def.effectiveTo}\n  source ${def.source}\n  template ${def.evidenceTemplate}\n`);
        return;
      }
      if (action !== 'list') throw new MedfundError([issue('bad-argument', 'action', `"${action}" is not list or show`)]);
      if (opts.json) return printJson({ library: library.rules.library, version: library.rules.version, rules: library.rules.rules });
      process.stdout.write(`规则库 ${library.rules.library} ${library.rules.version}: ${library.rules.rules.length} rules (${plan.rules.length} in force)\n`);
      for (const r of library.rules.rules) process.stdout.write(`  ${r.id.padEnd(34)} ${r.kind.padEnd(30)} ${ACTION_ZH[r.action]} ${RESULT_TYPE_ZH[r.resultType]}  ${r.nameZh}\n`);
    });
}
