/** TEST SUPPORT ONLY — spawn the monitor child process and follow its output. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface MonitorChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  commits(): number;
  stderr(): string;
}

/** `stdoutIds` collects every alert id the child prints (stdout is at-least-once). */
export function startMonitorChild(source: string, db: string, idleMs: number, stdoutIds: string[], checkpointMs = 150): MonitorChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/monitor/testing/monitor-child.ts', source, db, String(idleMs), String(checkpointMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let commits = 0;
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const p of parts) if (p) stdoutIds.push((JSON.parse(p) as { alertId: string }).alertId);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`monitor child exited (${code}) before ready: ${err}`)));
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      commits = (err.match(/committed/g) ?? []).length;
      if (err.includes('child: ready')) resolve();
    });
  });
  ready.catch(() => undefined);
  return { child, ready, exited, commits: () => commits, stderr: () => err };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitCommits(p: MonitorChild, n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (p.commits() < n) {
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`monitor child exited or stalled before ${n} commits: ${p.stderr()}`);
    await sleep(10);
  }
}
