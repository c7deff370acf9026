/**
 * The permissions roles can grant, grouped by the project module that must be enabled for them to
 * count (`module: null` = always available). Other modules append their permissions and modules with
 * `registerModule` / `registerPermission` before the server starts (names follow OpenProject's).
 */
export interface PermissionDef {
  name: string;
  module: string | null;
  label: string;
  /** Granting this permission also grants these (as OpenProject's `dependencies`). */
  dependsOn?: string[];
}

export interface ModuleDef {
  name: string;
  label: string;
  /** Enabled in new projects. */
  defaultEnabled: boolean;
}

const modules = new Map<string, ModuleDef>();
const permissions = new Map<string, PermissionDef>();

export function registerModule(def: ModuleDef): void {
  modules.set(def.name, def);
}

export function registerPermission(def: PermissionDef): void {
  permissions.set(def.name, def);
}

for (const def of [
  { name: 'work_package_tracking', label: 'Work packages', defaultEnabled: true },
  { name: 'storages', label: 'File storages', defaultEnabled: true },
  { name: 'activity', label: 'Activity', defaultEnabled: true },
  { name: 'news', label: 'News', defaultEnabled: false },
  { name: 'wiki', label: 'Wiki', defaultEnabled: false },
]) registerModule(def);

for (const def of [
  { name: 'view_project', module: null, label: 'View project' },
  { name: 'edit_project', module: null, label: 'Edit project' },
  { name: 'select_project_modules', module: null, label: 'Select project modules' },
  { name: 'add_subprojects', module: null, label: 'Create subprojects' },
  { name: 'view_members', module: null, label: 'View members' },
  { name: 'manage_members', module: null, label: 'Manage members', dependsOn: ['view_members'] },
  { name: 'view_work_packages', module: 'work_package_tracking', label: 'View work packages' },
  { name: 'add_work_packages', module: 'work_package_tracking', label: 'Add work packages', dependsOn: ['view_work_packages'] },
  { name: 'edit_work_packages', module: 'work_package_tracking', label: 'Edit work packages', dependsOn: ['view_work_packages'] },
  { name: 'delete_work_packages', module: 'work_package_tracking', label: 'Delete work packages', dependsOn: ['view_work_packages'] },
  { name: 'add_work_package_notes', module: 'work_package_tracking', label: 'Add notes', dependsOn: ['view_work_packages'] },
  { name: 'assign_work_packages', module: 'work_package_tracking', label: 'Be assigned to work packages', dependsOn: ['view_work_packages'] },
  { name: 'view_work_package_watchers', module: 'work_package_tracking', label: 'View watchers list', dependsOn: ['view_work_packages'] },
  { name: 'add_work_package_watchers', module: 'work_package_tracking', label: 'Add watchers', dependsOn: ['view_work_packages'] },
  { name: 'delete_work_package_watchers', module: 'work_package_tracking', label: 'Delete watchers', dependsOn: ['view_work_packages'] },
  { name: 'view_file_links', module: 'work_package_tracking', label: 'View file links', dependsOn: ['view_work_packages'] },
  { name: 'manage_file_links', module: 'work_package_tracking', label: 'Manage file links', dependsOn: ['view_file_links'] },
  { name: 'manage_files_in_project', module: 'storages', label: 'Manage files in project' },
  { name: 'read_files', module: 'storages', label: 'Automatically managed project folders: Read files' },
  { name: 'write_files', module: 'storages', label: 'Automatically managed project folders: Write files' },
  { name: 'create_files', module: 'storages', label: 'Automatically managed project folders: Create files' },
  { name: 'delete_files', module: 'storages', label: 'Automatically managed project folders: Delete files' },
  { name: 'share_files', module: 'storages', label: 'Automatically managed project folders: Share files' },
] satisfies PermissionDef[]) registerPermission(def);

export function allModules(): ModuleDef[] {
  return [...modules.values()];
}

export function allPermissions(): PermissionDef[] {
  return [...permissions.values()];
}

export function findPermission(name: string): PermissionDef | undefined {
  return permissions.get(name);
}

export function findModule(name: string): ModuleDef | undefined {
  return modules.get(name);
}

/** The permissions plus everything they depend on, deduplicated, in registry order. */
export function withDependencies(names: Iterable<string>): string[] {
  const wanted = new Set<string>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of permissions.get(name)?.dependsOn ?? []) visit(dep);
  };
  for (const name of names) visit(name);
  return allPermissions().map((p) => p.name).filter((name) => wanted.has(name));
}

/** Default roles created on first start (an admin edits them afterwards). */
export const DEFAULT_ROLES: { name: string; permissions: string[] }[] = [
  { name: 'Project admin', permissions: allPermissions().map((p) => p.name) },
  {
    name: 'Member',
    permissions: withDependencies([
      'view_project', 'view_members', 'add_work_packages', 'edit_work_packages', 'add_work_package_notes',
      'assign_work_packages', 'view_work_package_watchers', 'add_work_package_watchers', 'view_file_links',
      'manage_file_links', 'read_files', 'write_files', 'create_files',
    ]),
  },
  {
    name: 'Reader',
    permissions: withDependencies(['view_project', 'view_members', 'view_work_packages', 'view_file_links', 'read_files']),
  },
];

/**
 * `userAction` filter values (`work_packages/create`, `file_links/manage` …) as OpenProject names its
 * contract actions, mapped to the permission that grants them.
 */
export const ACTION_PERMISSIONS: Record<string, string> = {
  'projects/read': 'view_project',
  'projects/update': 'edit_project',
  'memberships/read': 'view_members',
  'memberships/create': 'manage_members',
  'memberships/update': 'manage_members',
  'memberships/destroy': 'manage_members',
  'work_packages/read': 'view_work_packages',
  'work_packages/create': 'add_work_packages',
  'work_packages/update': 'edit_work_packages',
  'work_packages/destroy': 'delete_work_packages',
  'file_links/view': 'view_file_links',
  'file_links/manage': 'manage_file_links',
};
