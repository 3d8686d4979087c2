/**
 * Build the web app for the browser test when web/dist is missing or older than its sources, through
 * Vite's own API (same config as `npm run build:web`), so the test never runs stale pages.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const WEB_DIST = join(ROOT, 'web/dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsFresh(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(
    newestMtime(join(ROOT, 'web/src')),
    statSync(join(ROOT, 'web/index.html')).mtimeMs,
    statSync(join(ROOT, 'web/vite.config.ts')).mtimeMs,
  );
  return statSync(index).mtimeMs >= sources;
}

export async function ensureWebBuild(): Promise<'fresh' | 'built'> {
  if (webBuildIsFresh()) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
