/** `medfund check [file]` — pre-order check (事前) of a proposed order given as JSON (file or stdin). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { BENEFIT_TYPES, CHARGE_CATEGORIES, ENCOUNTER_KINDS, INSTITUTION_LEVELS, MedfundError, SCHEMES, SEXES, issue } from '../../domain/index.js';
import { checkOrder, loadRuleLibrary } from '../../audit/index.js';
import type { OrderRequest } from '../../audit/index.js';
import { compileForStore } from '../../audit/store-audit.js';
import { printJson, withStore, withStoreOptions, yuan } from '../util.js';

const ts = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'expected YYYY-MM-DDTHH:mm:ss');
const OrderLineSchema = z.object({
  itemCode: z.string().min(1),
  localCode: z.string().optional(),
  itemName: z.string().optional(),
  category: z.enum(CHARGE_CATEGORIES).optional(),
  quantity: z.number().positive(),
  unitPriceFen: z.number().int().nonnegative().optional(),
  at: ts,
  doctorId: z.string().optional(),
});
/** Request body of a pre-order check (also used by the HTTP endpoint). */
export const OrderRequestSchema = z.object({
  patient: z.object({ sex: z.enum(SEXES), ageYears: z.number().int().min(0).max(130), ageDays: z.number().int().min(0).optional() }),
  encounter: z.object({
    id: z.string().optional(),
    kind: z.enum(ENCOUNTER_KINDS),
    benefitType: z.enum(BENEFIT_TYPES).optional(),
    scheme: z.enum(SCHEMES).optional(),
    institutionId: z.string().min(1),
    institutionLevel: z.enum(INSTITUTION_LEVELS),
    departmentId: z.string().optional(),
    doctorId: z.string().min(1),
    admitDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    diagnoses: z.array(z.string().min(1)),
    procedures: z.array(z.string()).optional(),
  }),
  order: OrderLineSchema,
  earlier: z.array(OrderLineSchema).optional(),
});

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('check')
      .description('事前审核 Pre-order check: a proposed order plus patient context (JSON) in, verdicts out')
      .argument('[file]', 'request JSON file (default: stdin)')
      .option('--as-of <date>', 'rule versions in force on this date (default: the order date)')
      .option('--json', 'JSON output'),
  ).action(async (file: string | undefined, opts: { json?: boolean; asOf?: string; db?: string; databaseUrl?: string }) => {
    const text = readFileSync(file && file !== '-' ? file : 0, 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new MedfundError([issue('bad-request', file ?? 'stdin', `not JSON: ${(err as Error).message}`)]);
    }
    const parsed = OrderRequestSchema.safeParse(raw);
    if (!parsed.success) throw new MedfundError(parsed.error.issues.map((i) => issue('bad-request', i.path.join('.'), i.message)));
    const req = parsed.data as OrderRequest;
    await withStore(opts, async (store) => {
      const plan = await compileForStore(store, loadRuleLibrary(), opts.asOf ?? req.order.at.slice(0, 10));
      const result = checkOrder(plan, req);
      if (opts.json) return printJson(result);
      const label = { pass: '通过 pass', remind: '提醒 remind', refer: '转人工 refer', deduct: '扣款 deduct', block: '拦截 block' }[result.decision];
      process.stdout.write(`结论 decision: ${label}\n`);
      for (const v of result.verdicts) process.stdout.write(`  [${v.actionZh}/${v.resultTypeZh}] ${v.ruleId} ${v.nameZh}: ${v.messageZh}${v.amountFen ? `（涉及 ${yuan(v.amountFen)}）` : ''}\n`);
    });
  });
}
