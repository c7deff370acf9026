import type { Command } from 'commander';
import type { CloudServices } from '../services.ts';
import { VERSION_STRING } from '../status/routes.ts';

export type WithServices = (run: (services: CloudServices) => Promise<void>) => Promise<void>;

/** Nextcloud's plain `occ` output: `  - key: value`, nested lists indented by two more spaces. */
export function plainList(value: unknown, indent = 2): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? `${pad}-\n${plainList(v, indent + 2)}` : `${pad}- ${String(v)}`)).join('\n');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => (v && typeof v === 'object' ? `${pad}- ${k}:\n${plainList(v, indent + 2)}` : `${pad}- ${k}: ${v ?? ''}`))
    .join('\n');
}

function print(output: string, value: unknown): void {
  console.log(output === 'json' ? JSON.stringify(value) : output === 'json_pretty' ? JSON.stringify(value, null, 4) : plainList(value));
}

/** `occ user:info`, `group:list`, `app:list`: what administrators look up most. */
export function registerProvisioningCommands(program: Command, withServices: WithServices): void {
  program
    .command('user:info <uid>')
    .description('show a user: groups, quota, last login')
    .option('--output <format>', 'plain, json or json_pretty', 'plain')
    .action((uid: string, opts: { output: string }) =>
      withServices(async ({ users, provisioning }) => {
        const user = await users.find(uid);
        if (!user) throw new Error('user not found');
        const details = await provisioning.describe(user);
        print(opts.output, {
          user_id: user.id,
          display_name: user.display_name,
          email: user.email ?? '',
          enabled: user.enabled === 1,
          groups: details.groups,
          subadmin: details.subadminGroups,
          quota: user.quota < 0 ? 'none' : String(user.quota),
          last_seen: user.last_login_at ? new Date(user.last_login_at).toISOString() : '1970-01-01T00:00:00+00:00',
          user_directory: details.storageLocation,
          backend: 'Database',
        });
      }),
    );

  program
    .command('group:list')
    .description('list groups with their members')
    .option('--output <format>', 'plain, json or json_pretty', 'plain')
    .option('-l, --limit <n>', 'at most this many groups', '500')
    .option('-o, --offset <n>', 'skip this many groups', '0')
    .action((opts: { output: string; limit: string; offset: string }) =>
      withServices(async ({ users }) => {
        const groups = await users.listGroups({ limit: Number(opts.limit), offset: Number(opts.offset) });
        const out: Record<string, string[]> = {};
        for (const group of groups) out[group.id] = (await users.members(group.id)).sort();
        print(opts.output, out);
      }),
    );

  program
    .command('app:list')
    .description('list apps and whether they are enabled')
    .option('--output <format>', 'plain, json or json_pretty', 'plain')
    .action((opts: { output: string }) =>
      withServices(async ({ provisioning }) => {
        const apps = await provisioning.listApps();
        const pick = (enabled: boolean) => Object.fromEntries(apps.filter((a) => a.enabled === enabled).map((a) => [a.id, VERSION_STRING]));
        if (opts.output !== 'plain') return print(opts.output, { enabled: pick(true), disabled: pick(false) });
        console.log(`Enabled:\n${plainList(pick(true))}\nDisabled:\n${plainList(pick(false))}`);
      }),
    );
}
