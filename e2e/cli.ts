/** Run the real `medfund` CLI in a child process (as a user or another tool would). */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('bin/medfund.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function medfund(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 600_000): Promise<CliResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MEDFUND_NO_PROGRESS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', rej);
    child.on('exit', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/** Parse the single JSON object a `--json` command prints. */
export function json<T = Record<string, unknown>>(r: CliResult): T {
  if (r.code !== 0) throw new Error(`medfund exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
