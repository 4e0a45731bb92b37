import type { Command } from 'commander';
import type { z } from 'zod';
import { ROLES, type Role } from '../../model/roles.ts';
import { createApiKey } from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';
import { upsertMember } from '../../store/members.ts';
import {
  createPasswordUser,
  emailSchema,
  findUserByEmail,
  generatedPassword,
  passwordSchema,
  resetPassword,
} from '../../store/users.ts';
import { createWorkspace, DEFAULT_WORKSPACE_SLUG, findWorkspace, workspaceSlugSchema } from '../../store/workspaces.ts';
import { provision } from '../database.ts';
import { CliError } from '../read-json.ts';

function valid<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`${what} ${parsed.error.issues[0]!.message}`, 2);
  return parsed.data;
}

function role(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value))
    throw new CliError(`--role must be one of ${ROLES.join(', ')} (got "${value}")`, 2);
  return value as Role;
}

async function readPassword(options: { password?: string; passwordStdin?: boolean }): Promise<string> {
  if (options.password && options.passwordStdin) throw new CliError('give --password or --password-stdin, not both', 2);
  if (options.password) return options.password;
  if (!options.passwordStdin)
    throw new CliError(
      'give the password with --password P, or pipe it in with --password-stdin (keeps it out of shell history)',
      2,
    );
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function workspaceBySlug(db: Database, slug: string) {
  const workspace = await findWorkspace(db.orm, slug);
  if (!workspace)
    throw new CliError(`there is no workspace "${slug}"; create it with \`duet workspaces create ${slug}\``);
  return workspace;
}

export function registerAccounts(program: Command) {
  const users = program
    .command('users')
    .description('accounts (run against the configured database; the server may be stopped)');
  users
    .command('create')
    .description('create an account that signs in with email and password')
    .requiredOption('--email <email>', 'the email to sign in with')
    .option('--password <password>', `at least 12 characters`)
    .option('--password-stdin', 'read the password from standard input instead')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--admin', 'make the account an instance admin (and admin of the default workspace)')
    .action(
      async (options: {
        email: string;
        password?: string;
        passwordStdin?: boolean;
        name?: string;
        admin?: boolean;
      }) => {
        const email = valid(emailSchema, options.email, '--email');
        const password = valid(passwordSchema, await readPassword(options), 'the password');
        await provision(async (db) => {
          const user = await db.orm.transaction((tx) =>
            createPasswordUser(tx, {
              email,
              password,
              ...(options.name ? { name: options.name } : {}),
              instanceAdmin: Boolean(options.admin),
            }),
          );
          console.log(`Created ${options.admin ? 'instance admin' : 'account'} ${user.email} (id ${user.id}).`);
        });
      },
    );

  users
    .command('reset-password')
    .description(
      'give an account a new password, sign it out everywhere and lift its lockout; without --password one is generated and printed alone on the last line',
    )
    .requiredOption('--email <email>', 'the account')
    .option('--password <password>', 'the new password (at least 12 characters)')
    .option('--password-stdin', 'read the new password from standard input instead')
    .action(async (options: { email: string; password?: string; passwordStdin?: boolean }) => {
      const email = valid(emailSchema, options.email, '--email');
      const chosen = options.password || options.passwordStdin ? await readPassword(options) : undefined;
      const password = chosen === undefined ? generatedPassword() : valid(passwordSchema, chosen, 'the password');
      await provision(async (db) => {
        const user = await findUserByEmail(db.orm, email);
        if (!user) throw new CliError(`there is no account ${email}; \`duet users create --email ${email}\` makes one`);
        await resetPassword(db, user.id, password);
        console.log(`New password set for ${user.email}; its sessions were ended and its lockout lifted.`);
        if (chosen === undefined) {
          console.log('It is shown only now:');
          console.log(password);
        }
      });
    });

  program
    .command('workspaces')
    .description('workspaces (projects): each has its own workflows, executions, members and keys')
    .command('create <slug>')
    .description('create a workspace')
    .option('--name <name>', 'display name (default: the slug)')
    .action(async (slug: string, options: { name?: string }) => {
      const checked = valid(workspaceSlugSchema, slug, 'the slug');
      await provision(async (db) => {
        const workspace = await createWorkspace(db.orm, {
          slug: checked,
          ...(options.name ? { name: options.name } : {}),
        });
        console.log(`Created workspace "${workspace.slug}" (id ${workspace.id}).`);
      });
    });

  program
    .command('members')
    .description('who belongs to a workspace, with which role')
    .command('add <workspace> <email>')
    .description('add an existing account to a workspace, or change its role there')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .action(async (slug: string, emailArg: string, options: { role: string }) => {
      const memberRole = role(options.role);
      const email = valid(emailSchema, emailArg, 'the email');
      await provision(async (db) => {
        const workspace = await workspaceBySlug(db, slug);
        const user = await findUserByEmail(db.orm, email);
        if (!user)
          throw new CliError(
            `there is no account ${email}; create it with \`duet users create --email ${email} --password …\``,
          );
        await upsertMember(db.orm, workspace.id, user.id, memberRole);
        console.log(`${user.email} is now ${memberRole} in "${workspace.slug}".`);
      });
    });

  program
    .command('api-keys')
    .description('workspace API keys for scripts (Authorization: Bearer <key>)')
    .command('create')
    .description('create an API key; the key is printed alone on the last line, once')
    .option('--workspace <slug>', 'the workspace the key acts in', DEFAULT_WORKSPACE_SLUG)
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--name <name>', 'what the key is for', 'cli')
    .action(async (options: { workspace: string; role: string; name: string }) => {
      const keyRole = role(options.role);
      await provision(async (db) => {
        const workspace = await workspaceBySlug(db, options.workspace);
        const created = await createApiKey(db, {
          workspaceId: workspace.id,
          name: options.name.slice(0, 100),
          role: keyRole,
          createdBy: 'cli',
        });
        console.log(
          `Created API key "${created.name}" (${created.role} in "${workspace.slug}", id ${created.id}). It is shown only now:`,
        );
        console.log(created.key);
      });
    });
}
