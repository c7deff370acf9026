import { Command } from 'commander';
import { createLogger } from '@tandem/core';
import { loadCloudConfig } from '../config.ts';
import { createCloudServices, type CloudServices } from '../services.ts';
import { registerProvisioningCommands } from '../provisioning/occ.ts';
import { registerGroupFolderCommands } from '../groupfolders/occ.ts';

/**
 * `npm run occ -- <command>`: Cloud's administration CLI, named after Nextcloud's `occ`.
 * Commands work on the database directly, so the server need not be running.
 */
async function withServices(run: (services: CloudServices) => Promise<void>): Promise<void> {
  const services = await createCloudServices(loadCloudConfig(), createLogger('occ', 'warn'));
  try {
    await run(services);
  } finally {
    await services.close();
  }
}

/** Nextcloud reads new passwords from `OC_PASS` with `--password-from-env`. */
function passwordFromEnv(): string {
  const password = process.env.OC_PASS;
  if (!password) throw new Error('--password-from-env given but OC_PASS is not set');
  return password;
}

export function buildOcc(): Command {
  const program = new Command('occ').description('Tandem Cloud administration').exitOverride();

  program
    .command('user:add <uid>')
    .option('--password-from-env', 'read the password from OC_PASS')
    .option('--display-name <name>')
    .option('--email <email>')
    .option('-g, --group <group...>', 'add the user to these groups (created if missing)')
    .action((uid: string, opts: { passwordFromEnv?: boolean; displayName?: string; email?: string; group?: string[] }) =>
      withServices(async ({ users }) => {
        if (!opts.passwordFromEnv) throw new Error('Set the password with --password-from-env (OC_PASS)');
        for (const group of opts.group ?? []) if (!(await users.findGroup(group))) await users.createGroup(group);
        await users.create({ id: uid, password: passwordFromEnv(), displayName: opts.displayName, email: opts.email, groups: opts.group });
        console.log(`The account "${uid}" was created successfully`);
      }),
    );

  program
    .command('user:delete <uid>')
    .action((uid: string) => withServices(async ({ users }) => {
      await users.delete(uid);
      console.log(`The specified user was deleted`);
    }));

  program
    .command('user:disable <uid>')
    .action((uid: string) => withServices(async ({ users }) => {
      await users.update(uid, { enabled: false });
      console.log('The specified user is disabled');
    }));

  program
    .command('user:enable <uid>')
    .action((uid: string) => withServices(async ({ users }) => {
      await users.update(uid, { enabled: true });
      console.log('The specified user is enabled');
    }));

  program
    .command('user:resetpassword <uid>')
    .option('--password-from-env', 'read the password from OC_PASS')
    .action((uid: string, opts: { passwordFromEnv?: boolean }) =>
      withServices(async ({ users, auth }) => {
        if (!opts.passwordFromEnv) throw new Error('Set the password with --password-from-env (OC_PASS)');
        await users.update(uid, { password: passwordFromEnv() });
        await auth.endAllSessions(uid);
        console.log(`Successfully reset password for ${uid}`);
      }),
    );

  program
    .command('user:list')
    .action(() => withServices(async ({ users }) => {
      for (const user of await users.list()) console.log(`  - ${user.id}: ${user.display_name}${user.enabled ? '' : ' (disabled)'}`);
    }));

  program
    .command('group:add <gid>')
    .option('--display-name <name>')
    .action((gid: string, opts: { displayName?: string }) => withServices(async ({ users }) => {
      await users.createGroup(gid, opts.displayName);
      console.log(`Created group "${gid}"`);
    }));

  program
    .command('group:delete <gid>')
    .action((gid: string) => withServices(async ({ users }) => {
      await users.deleteGroup(gid);
      console.log('Group was removed');
    }));

  program
    .command('group:adduser <gid> <uid>')
    .action((gid: string, uid: string) => withServices(async ({ users }) => users.addToGroup(gid, uid)));

  program
    .command('group:removeuser <gid> <uid>')
    .action((gid: string, uid: string) => withServices(async ({ users }) => users.removeFromGroup(gid, uid)));

  program
    .command('app:enable <app>')
    .action((app: string) => withServices(async ({ settings }) => {
      await settings.setAppEnabled(app, true);
      console.log(`${app} enabled`);
    }));

  program
    .command('app:disable <app>')
    .action((app: string) => withServices(async ({ settings }) => {
      await settings.setAppEnabled(app, false);
      console.log(`${app} disabled`);
    }));

  program
    .command('config:system:set <key>')
    .requiredOption('--value <value>')
    .action((key: string, opts: { value: string }) => withServices(async ({ settings }) => {
      await settings.repository.setSystem(key, opts.value);
      console.log(`System config value ${key} set to ${opts.value}`);
    }));

  program
    .command('config:system:get <key>')
    .action((key: string) => withServices(async ({ settings }) => {
      const value = await settings.repository.getSystem(key);
      if (value === undefined) process.exitCode = 1;
      else console.log(value);
    }));

  program
    .command('config:system:delete <key>')
    .action((key: string) => withServices(async ({ settings }) => {
      await settings.repository.deleteSystem(key);
      console.log(`System config value ${key} deleted`);
    }));

  program
    .command('oauth2:add-client <name> <redirect_uri>')
    .description('register an OAuth 2 client; prints its id and secret (shown only this once) as JSON')
    .action((name: string, redirectUri: string) => withServices(async ({ oauth }) => {
      const client = await oauth.createClient(name, redirectUri);
      console.log(JSON.stringify({
        name: client.name,
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uri: client.redirectUri,
      }, null, 2));
    }));

  program
    .command('oauth2:list')
    .option('--output <format>', 'plain or json', 'plain')
    .action((opts: { output: string }) => withServices(async ({ oauth }) => {
      const clients = await oauth.listClients();
      if (opts.output === 'json') console.log(JSON.stringify(clients, null, 2));
      else for (const c of clients) console.log(`  - ${c.clientId}: ${c.name} (${c.redirectUri})`);
    }));

  program
    .command('oauth2:remove-client <client_id>')
    .description('delete an OAuth 2 client and every token it issued')
    .action((clientId: string) => withServices(async ({ oauth }) => {
      await oauth.deleteClient({ clientId });
      console.log('Client deleted');
    }));

  registerProvisioningCommands(program, withServices);
  registerGroupFolderCommands(program, withServices);

  return program;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await buildOcc().parseAsync(process.argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!('exitCode' in (error as object)) || (error as { code?: string }).code?.startsWith('commander.') !== true) {
      console.error(message);
    }
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
}
