import { Command } from 'commander';
import { createLogger } from '@tandem/core';
import { loadProjectsConfig } from '../config.ts';
import { createProjectsServices, type ProjectsServices } from '../services.ts';

/**
 * `npm run projects-cli -- <command>`: Projects' administration CLI. Commands work on the database
 * directly, so the server need not be running.
 */
async function withServices(run: (services: ProjectsServices) => Promise<void>): Promise<void> {
  const services = await createProjectsServices(loadProjectsConfig(), createLogger('projects-cli', 'warn'));
  try {
    await run(services);
  } finally {
    await services.close();
  }
}

export function buildCli(): Command {
  const program = new Command('projects-cli').description('Tandem Projects administration').exitOverride();

  program
    .command('apikey:create <login>')
    .description('create an API key for a user and print it (shown this once)')
    .option('--name <name>', 'a name to recognise the key by', 'CLI')
    .action((login: string, opts: { name: string }) =>
      withServices(async ({ users, auth }) => {
        const user = await users.findByLogin(login);
        if (!user) throw new Error(`No user with login "${login}"`);
        const { token } = await auth.createApiKey(user.id, opts.name);
        console.log(token);
      }),
    );

  program
    .command('user:list')
    .action(() =>
      withServices(async ({ users }) => {
        const { rows } = await users.list({ filters: [], sortBy: [['id', 'asc']], limit: 10_000, offset: 0 });
        for (const u of rows) console.log(`  - ${u.id} ${u.login}: ${u.firstname} ${u.lastname} (${u.status}${u.admin ? ', admin' : ''})`);
      }),
    );

  program
    .command('user:resetpassword <login>')
    .description('set a new password, read from PROJECTS_PASS')
    .action((login: string) =>
      withServices(async ({ users, auth }) => {
        const password = process.env.PROJECTS_PASS;
        if (!password) throw new Error('Set the new password in PROJECTS_PASS');
        const user = await users.findByLogin(login);
        if (!user) throw new Error(`No user with login "${login}"`);
        await users.update(user.id, { password });
        await auth.endAllSessions(user.id);
        console.log(`Password of ${user.login} changed`);
      }),
    );

  return program;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code?.startsWith('commander.')) console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
}
