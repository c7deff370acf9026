import type { Command } from 'commander';
import type { WithServices } from '../provisioning/occ.ts';
import { PERMISSION_NAMES } from './acl.ts';
import type { FolderDetails } from './service.ts';

const permissionNames = (bits: number) =>
  Object.entries(PERMISSION_NAMES)
    .filter(([, bit]) => bits & bit)
    .map(([name]) => name)
    .join(', ');

function folderJson(d: FolderDetails) {
  return {
    id: d.folder.id,
    mount_point: d.folder.mount_point,
    groups: Object.fromEntries(d.groups.map((g) => [g.group_id, g.permissions])),
    quota: d.folder.quota,
    size: d.size,
    acl: d.folder.acl === 1,
    manage: d.managers,
  };
}

/** `occ groupfolders:*`: create, list, group, permissions (ACL switch and managers), rename, quota, delete. */
export function registerGroupFolderCommands(program: Command, withServices: WithServices): void {
  program
    .command('groupfolders:create <mountpoint>')
    .description('create a group folder; prints its id')
    .action((mountPoint: string) =>
      withServices(async ({ groupFolders }) => {
        console.log(String((await groupFolders.create(mountPoint)).folder.id));
      }),
    );

  program
    .command('groupfolders:list')
    .option('--output <format>', 'plain or json', 'plain')
    .action((opts: { output: string }) =>
      withServices(async ({ groupFolders }) => {
        const folders = await groupFolders.list();
        if (opts.output === 'json' || opts.output === 'json_pretty') {
          console.log(JSON.stringify(folders.map(folderJson), null, opts.output === 'json_pretty' ? 4 : undefined));
          return;
        }
        for (const d of folders) {
          const groups = d.groups.map((g) => `${g.group_id}: ${permissionNames(g.permissions)}`).join('; ');
          console.log(`  - ${d.folder.id}: ${d.folder.mount_point} (groups: ${groups || 'none'}; quota: ${d.folder.quota < 0 ? 'unlimited' : d.folder.quota}; acl: ${d.folder.acl === 1 ? 'on' : 'off'})`);
        }
      }),
    );

  program
    .command('groupfolders:group <folder_id> <group_id> [permissions...]')
    .description('give a group access (read write create delete share; default all), or remove it with --delete')
    .option('-d, --delete', 'remove the group from the folder')
    .action((id: string, groupId: string, permissions: string[], opts: { delete?: boolean }) =>
      withServices(async ({ groupFolders }) => {
        if (opts.delete) {
          await groupFolders.removeGroup(Number(id), groupId);
          return;
        }
        let bits = 0;
        for (const name of permissions) {
          const bit = PERMISSION_NAMES[name];
          if (bit === undefined) throw new Error(`Unknown permission "${name}"; use ${Object.keys(PERMISSION_NAMES).join(', ')}`);
          bits |= bit;
        }
        await groupFolders.setGroupPermissions(Number(id), groupId, permissions.length ? bits : 31);
      }),
    );

  program
    .command('groupfolders:permissions <folder_id>')
    .description('switch advanced permissions (ACL) on or off, add or remove ACL managers')
    .option('-e, --enable', 'enable advanced permissions')
    .option('-d, --disable', 'disable advanced permissions')
    .option('-m, --manage-add', 'add an ACL manager (with --user or --group)')
    .option('-r, --manage-remove', 'remove an ACL manager (with --user or --group)')
    .option('-u, --user <uid>')
    .option('-g, --group <gid>')
    .action((id: string, opts: { enable?: boolean; disable?: boolean; manageAdd?: boolean; manageRemove?: boolean; user?: string; group?: string }) =>
      withServices(async ({ groupFolders }) => {
        const folderId = Number(id);
        if (opts.enable || opts.disable) await groupFolders.setAcl(folderId, !!opts.enable);
        if (opts.manageAdd || opts.manageRemove) {
          const [type, mappingId] = opts.user ? ['user', opts.user] : ['group', opts.group];
          if (!mappingId) throw new Error('--manage-add and --manage-remove need --user or --group');
          await groupFolders.setManager(folderId, type, mappingId, !!opts.manageAdd);
        }
        const d = await groupFolders.get(folderId);
        console.log(`Advanced permissions ${d.folder.acl === 1 ? 'enabled' : 'disabled'}; managers: ${d.managers.map((m) => `${m.type}:${m.id}`).join(', ') || 'none'}`);
      }),
    );

  program
    .command('groupfolders:rename <folder_id> <name>')
    .action((id: string, name: string) => withServices(async ({ groupFolders }) => void (await groupFolders.rename(Number(id), name))));

  program
    .command('groupfolders:quota <folder_id> <quota>')
    .description('quota in bytes, or "unlimited"')
    .action((id: string, quota: string) =>
      withServices(async ({ groupFolders }) => void (await groupFolders.setQuota(Number(id), quota === 'unlimited' ? -3 : Number(quota)))),
    );

  program
    .command('groupfolders:delete <folder_id>')
    .option('-f, --force', 'do not ask (always assumed)')
    .action((id: string) => withServices(async ({ groupFolders }) => groupFolders.delete(Number(id))));
}
