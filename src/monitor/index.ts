/**
 * Real-time monitoring (事中实时监控): settlement lines from a file tail, the store or NATS JetStream
 * → the audit engine's stream evaluator → alerts in `monitor_alerts` and on stdout, restart-safe.
 *
 * @example
 * const store = await openStore();
 * const ctx = await createEncounterContext(store);
 * const summary = await runMonitor({
 *   store, consumerId: 'ward-feed', context: ctx.context,
 *   source: createFileSource({ path: 'feed.csv', resolveItemCode: ctx.resolveItemCode }),
 *   evaluator: createStreamEvaluator(plan),
 *   onAlert: (a) => console.log(JSON.stringify(a)),
 * });
 */
export { runMonitor, ContextError } from './monitor.js';
export type { MonitorOptions, MonitorSummary } from './monitor.js';
export { createFileSource } from './sources/file.js';
export type { FileSourceOptions } from './sources/file.js';
export { createStoreSource } from './sources/store.js';
export type { StoreSourceOptions } from './sources/store.js';
export {
  createNatsSource, publishLinesFile, connectNats, ensureStream,
  DEFAULT_NATS_URL, DEFAULT_STREAM, DEFAULT_SUBJECT, DEFAULT_DURABLE,
} from './sources/nats.js';
export type { NatsSourceOptions, PublishOptions } from './sources/nats.js';
export { createEncounterContext } from './context.js';
export type { EncounterContextProvider } from './context.js';
export { alertIdOf, listMonitorAlerts, loadCheckpoint, resetConsumer } from './sink.js';
export type { Checkpoint, LineSource, MonitorAlert, SourceRecord, StreamAlert, StreamEvaluatorLike } from './types.js';
