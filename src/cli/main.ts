/**
 * The `medfund` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program)`; this file only wires them up, so tests can call `run([...argv])` in-process.
 */
import { Command, CommanderError } from 'commander';
import { MedfundError } from '../domain/index.js';

type Registrar = (program: Command) => void;

/** Command modules (dynamic imports keep this list the only coupling). Add one line per command file. */
const COMMANDS: ReadonlyArray<() => Promise<{ register: Registrar }>> = [
  // foundation
  () => import('./commands/synth.js'),
  () => import('./commands/import.js'),
  () => import('./commands/status.js'),
  () => import('./commands/quality.js'),
  () => import('./commands/quarantine.js'),
  () => import('./commands/demo.js'),
  // engines (added by their issues)
  () => import('./commands/group.js'),
  () => import('./commands/audit.js'),
  () => import('./commands/check.js'),
  () => import('./commands/rules.js'),
  () => import('./commands/monitor.js'),
  () => import('./commands/cases.js'),
  () => import('./commands/scores.js'),
  () => import('./commands/settle.js'),
  () => import('./commands/clear.js'),
  () => import('./commands/stats.js'),
  () => import('./commands/serve.js'),
  () => import('./commands/verify-log.js'),
  () => import('./commands/users.js'),
  () => import('./commands/cost.js'),
];

export async function buildProgram(): Promise<Command> {
  const program = new Command('medfund')
    .description('MedFund — 医保基金监管 · DRG/DIP 支付结算 · 医院成本核算')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const load of COMMANDS) (await load()).register(program);
  return program;
}

/** Run the CLI. `argv` is process.argv-shaped (node, script, ...args). Sets process.exitCode on failure. */
export async function run(argv: readonly string[]): Promise<void> {
  // `medfund … | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = await buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode !== 0) process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof MedfundError) {
      for (const i of err.issues) process.stderr.write(`medfund: ${i.code}${i.path ? ` at ${i.path}` : ''}: ${i.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`medfund: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
