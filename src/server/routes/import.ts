/**
 * Import 数据导入: a server-side region directory (under the configured import root) or one uploaded
 * file. The importer (src/ingest) validates, quarantines and pseudonymises; the report comes back.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, realpathSync, existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { REGION_FILES, type RegionFileKind } from '../../domain/index.js';
import { importFile, importRegion } from '../../ingest/index.js';
import { ApiError } from '../errors.js';
import { invalidateEngines } from '../engines.js';
import { route } from '../route.js';

const KINDS = Object.keys(REGION_FILES) as [RegionFileKind, ...RegionFileKind[]];

function importFailed(err: unknown): never {
  if (err instanceof ApiError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  throw new ApiError(422, 'import-failed', `import failed: ${message}`, [{ path: 'body', code: 'import-failed', message }]);
}

/** A directory inside the import root (no `..` escapes, no symlink escapes). */
export function resolveImportDir(root: string, dir: string): string {
  const rootReal = realpathSync(resolve(root));
  const target = isAbsolute(dir) ? dir : join(rootReal, dir);
  if (!existsSync(target) || !statSync(target).isDirectory()) {
    throw new ApiError(400, 'invalid-request', `not a directory: ${dir}`, [{ path: 'body.dir', code: 'not-found', message: `${dir} is not a directory on the server` }]);
  }
  const real = realpathSync(target);
  const rel = relative(rootReal, real);
  if (rel.startsWith('..') || isAbsolute(rel) || (rel !== '' && rel.split(sep)[0] === '..')) {
    throw new ApiError(403, 'forbidden-scope', `${dir} is outside the import root`, [{ path: 'body.dir', code: 'outside-root', message: 'the directory must lie under the configured import root (MEDFUND_IMPORT_ROOT)' }]);
  }
  return real;
}

export const importRoutes = [
  route({
    id: 'import.dir', method: 'post', path: '/api/import', tag: 'import', access: ['admin'],
    summary: 'Import a region directory on the server 导入服务器目录',
    body: z.strictObject({ dir: z.string().min(1).max(500) }),
    handler: async ({ services, body, log }) => {
      const dir = resolveImportDir(services.config.importRoot, body.dir);
      const report = await importRegion(services.store, dir, { pseudonymKey: services.keys.pseudonymKey.toString('utf8'), clock: services.clock }).catch(importFailed);
      invalidateEngines(services);
      await log({ action: 'import', resource: 'import-batch', resourceId: report.files.map((f) => f.batchId).join(',').slice(0, 200), detail: { files: report.files.length, rowsStored: report.totals.rowsStored, rowsQuarantined: report.totals.rowsQuarantined } });
      return { ...report, dir: body.dir };
    },
  }),
  route({
    id: 'import.upload', method: 'post', path: '/api/import/upload', tag: 'import', access: ['admin'], bodyKind: 'raw',
    summary: 'Import one uploaded file (CSV, UTF-8 or GBK, or JSON Lines) 上传导入',
    query: z.object({ kind: z.enum(KINDS), format: z.enum(['csv', 'jsonl']).default('csv'), name: z.string().regex(/^[\w.\-\u4e00-\u9fff]{1,100}$/, 'a plain file name').optional() }),
    handler: async ({ c, services, query, log }) => {
      const body = c.req.raw.body;
      if (!body) throw new ApiError(400, 'invalid-request', 'the file is the request body', [{ path: 'body', code: 'required', message: 'send the file as the request body' }]);
      const dir = join(tmpdir(), `medfund-upload-${randomUUID()}`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, `${query.kind}.${query.format}`);
      try {
        await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), createWriteStream(file, { mode: 0o600 }));
        const report = await importFile(services.store, file, {
          pseudonymKey: services.keys.pseudonymKey.toString('utf8'), kind: query.kind, sourceName: query.name ?? REGION_FILES[query.kind].file, clock: services.clock,
        }).catch(importFailed);
        invalidateEngines(services);
        await log({ action: 'import', resource: 'import-batch', resourceId: report.batchId, detail: { kind: query.kind, rowsStored: report.rowsStored, rowsQuarantined: report.rowsQuarantined } });
        return { ...report, file: query.name ?? REGION_FILES[query.kind].file };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  }),
];
