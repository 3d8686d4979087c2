/** `medfund serve` — the HTTP API and web app on the configured store. */
import type { Command } from 'commander';
import { serve } from '@hono/node-server';
import { storeFrom, withStoreOptions } from '../util.js';
import { appServices, createApp, DEMO_PASSWORD, loadServerConfig, seedDemoUsers } from '../../server/index.js';

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('serve')
      .description('start the HTTP API and web app 启动服务 (prints the URL)')
      .option('--port <port>', 'TCP port', '8080')
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .option('--no-demo-users', 'do not create the demo users'),
  ).action(async (opts: { port: string; host: string; demoUsers: boolean; db?: string; databaseUrl?: string }) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a TCP port: ${opts.port}`);
    const config = loadServerConfig();
    const store = await storeFrom(opts);
    const clock = () => new Date();
    if (opts.demoUsers) {
      const created = await seedDemoUsers(store, config.keys, clock());
      if (created.length) {
        process.stdout.write(`演示用户已创建 / demo users created (password 密码: ${DEMO_PASSWORD}):\n`);
        for (const u of created) {
          process.stdout.write(`  ${u.username.padEnd(11)} ${u.role}${u.institutionId ? ` @ ${u.institutionId}` : ''}${u.departmentId ? ` / ${u.departmentId}` : ''}\n`);
        }
      }
    }
    const app = createApp({ store, config, clock });
    const server = serve({ fetch: app.fetch, port, hostname: opts.host }, (info) => {
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      process.stdout.write(`MedFund 已启动 / listening on http://${host}:${info.port}/  (store: ${store.location})\n`);
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        server.close(() => resolve());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await appServices(app).audit.flush();
    await store.close();
  });
}
