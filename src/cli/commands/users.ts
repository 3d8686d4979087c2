/** `medfund users add|list` — manage API users 用户管理. */
import type { Command } from 'commander';
import { withStore, withStoreOptions } from '../util.js';
import { AuditLog, createUser, listUsers, NewUserSchema, resolveKeys, ROLES, ROLE_LABELS } from '../../security/index.js';
import { MedfundError, issue } from '../../domain/index.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function register(program: Command): void {
  const users = program.command('users').description('manage users 用户管理');
  withStoreOptions(users
    .command('add')
    .description('add a user (password from --password-stdin or MEDFUND_NEW_PASSWORD)')
    .requiredOption('--username <name>', 'login name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--institution <id>', 'institution id (hospital roles)', '')
    .option('--department <id>', 'department id (department heads)', '')
    .option('--display-name <name>', 'display name (stored encrypted)', '')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'machine-readable output'))
    .action(async (opts: { username: string; role: string; institution: string; department: string; displayName: string; passwordStdin?: boolean; json?: boolean; db?: string; databaseUrl?: string }) => {
      const password = opts.passwordStdin ? await readStdin() : process.env.MEDFUND_NEW_PASSWORD ?? '';
      const parsed = NewUserSchema.safeParse({
        username: opts.username, password, role: opts.role, institutionId: opts.institution, departmentId: opts.department, displayName: opts.displayName,
      });
      if (!parsed.success) {
        throw new MedfundError(parsed.error.issues.map((i) => issue('invalid-option', i.path.join('.'), i.message)));
      }
      const keys = resolveKeys();
      await withStore(opts, async (store) => {
        if (parsed.data.institutionId) {
          const [inst] = await store.query(`SELECT id FROM institutions WHERE id = $1`, [parsed.data.institutionId]);
          if (!inst) throw new MedfundError([issue('unknown-institution', 'institution', `no institution ${parsed.data.institutionId} in ${store.location}`)]);
        }
        const user = await createUser(store, keys, parsed.data, new Date());
        const log = new AuditLog(store, keys.auditKey, () => new Date());
        await log.append({ actor: 'cli', role: 'admin', institutionId: '', action: 'create', resource: 'user', resourceId: user.id, outcome: 'ok', detail: { username: user.username, role: user.role } });
        if (opts.json) process.stdout.write(JSON.stringify(user) + '\n');
        else process.stdout.write(`用户已创建 / user created: ${user.username} (${ROLE_LABELS[user.role].zh} ${user.role})\n`);
      });
    });
  withStoreOptions(users.command('list').description('list users').option('--json', 'machine-readable output'))
    .action(async (opts: { json?: boolean; db?: string; databaseUrl?: string }) => {
      const keys = resolveKeys();
      await withStore(opts, async (store) => {
        const rows = await listUsers(store, keys);
        if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else {
          for (const u of rows) {
            process.stdout.write(`${u.username.padEnd(16)} ${u.role.padEnd(27)} ${ROLE_LABELS[u.role].zh.padEnd(7)} ${u.institutionId}${u.departmentId ? `/${u.departmentId}` : ''}${u.disabled ? ' (disabled)' : ''}\n`);
          }
          process.stdout.write(`${rows.length} user(s)\n`);
        }
      });
    });
}
