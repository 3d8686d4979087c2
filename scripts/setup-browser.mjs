#!/usr/bin/env node
/**
 * `npm run setup:browser` — makes sure Debian's Chromium is present for the browser tests
 * (e2e/web/). Called by .ci/run before `npm test`.
 *
 * Why Debian's package and not Playwright's own browser download: the machines reach only the
 * package registries (npm, Debian), so a browser build fetched from elsewhere would fail; the
 * tests drive /usr/bin/chromium through playwright-core instead. This script never downloads a
 * browser from anywhere else.
 *
 * Behaviour: if the browser is already there, say so. If it is missing and we are root, run
 * `apt-get update` then `apt-get install -y chromium`. If it is missing and we are not root, print
 * the command to run and exit 1 (the browser tests would fail anyway). The pages are Chinese first,
 * so a CJK font (Debian's small `fonts-wqy-microhei`) is installed the same way when fontconfig
 * knows no Chinese font — otherwise the screenshots kept as test artifacts show empty boxes; a
 * missing font only warns. MEDFUND_CHROMIUM overrides the path (same variable the tests read).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.MEDFUND_CHROMIUM || '/usr/bin/chromium';

function log(line) {
  process.stdout.write(`setup-browser: ${line}\n`);
}

function version(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : `(could not run ${bin} --version: ${r.stderr?.trim() || r.error?.message || 'exit ' + r.status})`;
}

function run(cmd, args) {
  log(`running: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;

function aptInstall(pkg) {
  if (!aptUpdated) {
    run('apt-get', ['update']);
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', pkg]);
}

/** True when fontconfig lists at least one font covering Chinese. */
function hasChineseFont() {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function ensureChineseFont() {
  if (hasChineseFont()) {
    log('a Chinese (CJK) font is present');
    return;
  }
  if (!isRoot) {
    log('warning: no Chinese font found; screenshots will show boxes (apt-get install -y fonts-wqy-microhei)');
    return;
  }
  log('no Chinese font found; installing Debian\'s package "fonts-wqy-microhei"');
  try {
    aptInstall('fonts-wqy-microhei');
  } catch (err) {
    log(`warning: could not install the font: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function main() {
  if (existsSync(CHROMIUM)) {
    log(`Chromium already present at ${CHROMIUM}: ${version(CHROMIUM)} — nothing to install`);
    ensureChineseFont();
    return 0;
  }
  if (!isRoot) {
    log(`Chromium is missing at ${CHROMIUM} and this is not root; install it with:`);
    log('  sudo apt-get update && sudo apt-get install -y chromium');
    return 1;
  }
  if (CHROMIUM !== '/usr/bin/chromium') {
    log(`MEDFUND_CHROMIUM=${CHROMIUM} does not exist and is not Debian's path; not installing anything`);
    return 1;
  }
  log(`Chromium is missing at ${CHROMIUM}; installing Debian's package "chromium"`);
  aptInstall('chromium');
  if (!existsSync(CHROMIUM)) {
    log(`apt-get finished but ${CHROMIUM} is still missing`);
    return 1;
  }
  log(`installed ${CHROMIUM}: ${version(CHROMIUM)}`);
  ensureChineseFont();
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
