/**
 * `medfund monitor` — real-time monitoring (事中实时监控): follow settlement lines from NATS JetStream,
 * a growing file or the store, evaluate them with the compiled rule library's stream evaluator, write
 * alerts to `monitor_alerts` and print them on stdout as JSON lines. Restart-safe (checkpoint per
 * consumer). `medfund monitor publish` feeds a subject from a region's settlement-lines.csv.
 */
import type { Command } from 'commander';
import { compileRules, createStreamEvaluator, loadRuleLibrary } from '../../audit/index.js';
import { loadRegionKnowledge } from '../../audit/store-audit.js';
import { MedfundError, issue } from '../../domain/index.js';
import {
  DEFAULT_DURABLE, DEFAULT_NATS_URL, DEFAULT_STREAM, DEFAULT_SUBJECT,
  createEncounterContext, createFileSource, createNatsSource, createStoreSource, publishLinesFile, resetConsumer, runMonitor,
} from '../../monitor/index.js';
import type { LineSource } from '../../monitor/index.js';
import { withStore, withStoreOptions } from '../util.js';

interface MonitorOpts {
  source: string;
  file?: string;
  format?: 'csv' | 'jsonl';
  nats: string;
  stream: string;
  subject: string;
  durable: string;
  consumer?: string;
  idleExit?: string;
  maxLines?: string;
  asOf?: string;
  reset?: boolean;
  verbose?: boolean;
  json?: boolean;
  db?: string;
  databaseUrl?: string;
}

const SOURCES = ['nats', 'file', 'store'] as const;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new MedfundError([issue('invalid-option', name, `${name} must be a non-negative integer, got "${v}"`)]);
  return n;
}

export function register(program: Command): void {
  const monitor = withStoreOptions(
    program
      .command('monitor')
      .description('事中实时监控 Real-time monitoring: stream settlement lines through the rule library, alerts to monitor_alerts and stdout (JSON lines)')
      .option('--source <kind>', `来源 source: ${SOURCES.join(' | ')}`)
      .option('--file <path>', 'file source: settlement-lines CSV (region columns) or JSONL, followed as it grows')
      .option('--format <fmt>', 'file format csv | jsonl (default: by extension)')
      .option('--nats <url>', 'NATS server', process.env.NATS_URL ?? DEFAULT_NATS_URL)
      .option('--stream <name>', 'JetStream stream', DEFAULT_STREAM)
      .option('--subject <subject>', 'JetStream subject', DEFAULT_SUBJECT)
      .option('--durable <name>', 'JetStream durable consumer name', DEFAULT_DURABLE)
      .option('--consumer <id>', 'checkpoint name (default: monitor-<source>)')
      .option('--idle-exit <ms>', 'stop after this many ms without new lines (default: follow until Ctrl-C)')
      .option('--max-lines <n>', 'stop after this many lines')
      .option('--as-of <date>', 'rule versions in force on this date (default: today)')
      .option('--reset', "drop this consumer's checkpoint and alerts first (start over)")
      .option('--verbose', 'print each checkpoint (position, lines, alerts) on stderr')
      .option('--json', 'print the final summary as JSON on stderr'),
  );
  monitor.action(async (opts: MonitorOpts) => {
    if (!opts.source || !(SOURCES as readonly string[]).includes(opts.source)) {
      throw new MedfundError([issue('invalid-option', '--source', `--source must be one of ${SOURCES.join(', ')}, got "${opts.source ?? ''}"`)]);
    }
    if (opts.source === 'file' && !opts.file) throw new MedfundError([issue('missing-option', '--file', '--source file needs --file <path>')]);
    const idleExitMs = positiveInt('--idle-exit', opts.idleExit);
    const maxLines = positiveInt('--max-lines', opts.maxLines);
    const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new MedfundError([issue('invalid-option', '--as-of', `expected YYYY-MM-DD, got "${asOf}"`)]);
    const consumerId = opts.consumer ?? `monitor-${opts.source}`;

    await withStore(opts, async (store) => {
      const plan = compileRules(loadRuleLibrary(), { asOf, region: await loadRegionKnowledge(store) });
      const ctx = await createEncounterContext(store);
      let source: LineSource;
      switch (opts.source) {
        case 'file':
          source = createFileSource({ path: opts.file!, format: opts.format, idleExitMs, resolveItemCode: ctx.resolveItemCode });
          break;
        case 'store':
          source = createStoreSource({ store, idleExitMs });
          break;
        default:
          source = createNatsSource({ servers: opts.nats, stream: opts.stream, subject: opts.subject, durable: opts.durable, idleExitMs, resolveItemCode: ctx.resolveItemCode });
      }
      if (opts.reset) await resetConsumer(store, consumerId);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stderr.write(`监控开始 monitor started: ${source.description} → ${store.location} (consumer ${consumerId}, rules as of ${asOf})\n`);
      try {
        const summary = await runMonitor({
          store,
          source,
          evaluator: createStreamEvaluator(plan),
          context: ctx.context,
          prefetch: ctx.prefetch,
          consumerId,
          maxLines,
          signal: controller.signal,
          onAlert: (a) => process.stdout.write(`${JSON.stringify(a)}\n`),
          onReject: (r) => process.stderr.write(`medfund monitor: rejected input at ${r.position}: ${r.reason}\n`),
          onCommit: opts.verbose
            ? (c) => process.stderr.write(`检查点 checkpoint: position ${c.position}, lines ${c.linesProcessed}, alerts ${c.alertsEmitted}\n`)
            : undefined,
        });
        if (opts.json) {
          process.stderr.write(`${JSON.stringify(summary)}\n`);
        } else {
          process.stderr.write(
            `监控结束 monitor stopped: 本次 ${summary.linesThisRun} 条明细 lines, ${summary.alertsThisRun} 条预警 alerts, ${summary.rejectedThisRun} 条拒收 rejected` +
              ` (累计 total ${summary.linesTotal} / ${summary.alertsTotal}); 位置 position ${summary.position ?? '-'}` +
              (summary.resumedFrom ? `, 从 resumed from ${summary.resumedFrom}` : '') +
              `; 预警延迟 alert latency p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms` +
              (summary.endToEndMs.count ? `; 发布→预警 publish→alert p50 ${summary.endToEndMs.p50} ms, p99 ${summary.endToEndMs.p99} ms` : '') +
              '\n',
          );
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  });

  // --nats/--stream/--subject/--json are the parent's options (shared with the monitor), read via optsWithGlobals()
  monitor
    .command('publish <file>')
    .description("发布结算明细 Publish a region's settlement-lines.csv (or JSONL) to the JetStream subject: one JSON message per line, de-duplicated by line id (--nats/--stream/--subject/--json as for monitor)")
    .option('--rate <n>', 'lines per second (default: as fast as acknowledged)')
    .option('--limit <n>', 'publish at most n lines')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ nats: string; stream: string; subject: string; rate?: string; limit?: string; json?: boolean }>();
      const t0 = Date.now();
      const r = await publishLinesFile({
        servers: o.nats,
        stream: o.stream,
        subject: o.subject,
        file,
        rate: positiveInt('--rate', o.rate) || undefined,
        limit: positiveInt('--limit', o.limit),
      });
      const seconds = (Date.now() - t0) / 1000;
      if (o.json) process.stdout.write(`${JSON.stringify({ ...r, seconds })}\n`);
      else
        process.stdout.write(
          `已发布 published ${r.published} 条 lines to ${o.subject} (stream ${o.stream}, seq ${r.firstSeq}–${r.lastSeq}, 重复 duplicates ${r.duplicates}) in ${seconds.toFixed(1)} s\n`,
        );
    });
}
