import { api, filtersParam } from './http.ts';

/** API v3 resources, as much of them as the UI reads. */
export interface Link {
  href: string | null;
  title?: string;
}
export interface Formattable {
  format: string;
  raw: string;
  html: string;
}
export interface User {
  id: number;
  name: string;
  login?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  status?: 'active' | 'locked' | 'invited';
  admin?: boolean;
}
export interface Project {
  id: number;
  identifier: string;
  name: string;
  active: boolean;
  public: boolean;
  description: Formattable;
  _links: { parent: Link; ancestors: Link[]; createWorkPackageImmediately?: Link; updateImmediately?: Link };
}
export interface Named {
  id: number;
  name: string;
}
export interface Status extends Named {
  isClosed: boolean;
  isDefault: boolean;
}
export interface WorkPackage {
  id: number;
  subject: string;
  lockVersion: number;
  description: Formattable;
  createdAt: string;
  updatedAt: string;
  _links: {
    project: Link;
    type: Link;
    status: Link;
    assignee: Link;
    author: Link;
    updateImmediately?: Link;
    addComment?: Link;
  };
}
export interface Activity {
  id: number;
  _type: string;
  comment: Formattable;
  details: { raw: string }[];
  createdAt: string;
  _links: { user: Link };
}
export interface Notification {
  id: number;
  reason: string;
  readIAN: boolean;
  createdAt: string;
  _links: { resource: Link; project: Link; actor: Link };
}
export interface Membership {
  id: number;
  _links: { principal: Link; roles: Link[]; delete?: Link };
}
export interface Collection<T> {
  total: number;
  count: number;
  _embedded: { elements: T[] };
}

const V3 = '/api/v3';
const all = `pageSize=1000`;
const elements = async <T>(url: string) => (await api<Collection<T>>('GET', url))._embedded.elements;
const href = (resource: string, id: number | null) => ({ href: id === null ? null : `${V3}/${resource}/${id}` });

// ---- projects ----
export const listProjects = () => elements<Project>(`${V3}/projects?${all}&sortBy=${encodeURIComponent('[["name","asc"]]')}`);
export const getProject = (idOrIdentifier: string) => api<Project>('GET', `${V3}/projects/${encodeURIComponent(idOrIdentifier)}`);
export const createProject = (input: { name: string; identifier: string; description: string; parentId: number | null }) =>
  api<Project>('POST', `${V3}/projects`, {
    name: input.name,
    identifier: input.identifier,
    description: { raw: input.description },
    ...(input.parentId ? { _links: { parent: href('projects', input.parentId) } } : {}),
  });
export const setProjectActive = (id: number, active: boolean) => api<Project>('PATCH', `${V3}/projects/${id}`, { active });

export interface ModuleSwitch {
  name: string;
  label: string;
  enabled: boolean;
}
export const listModules = async (projectId: number) => (await api<{ modules: ModuleSwitch[] }>('GET', `/api/projects/${projectId}/modules`)).modules;
export const setModules = async (projectId: number, enabled: string[]) =>
  (await api<{ modules: ModuleSwitch[] }>('PUT', `/api/projects/${projectId}/modules`, { enabled })).modules;

// ---- work packages ----
export interface WorkPackageFilters {
  status: string; // '' = open, '*' = all, 'c' = closed, or a status id
  assignee: string; // '' = anyone, 'me', 'none', or a user id
  type: string;
  text: string;
}

export function workPackageFilters(f: WorkPackageFilters) {
  const filters: Record<string, { operator: string; values: string[] }>[] = [];
  if (f.status === '' || f.status === 'o') filters.push({ status: { operator: 'o', values: [] } });
  else if (f.status === 'c') filters.push({ status: { operator: 'c', values: [] } });
  else if (f.status === '*') filters.push({ status: { operator: '*', values: [] } });
  else filters.push({ status: { operator: '=', values: [f.status] } });
  if (f.assignee === 'none') filters.push({ assignee: { operator: '!*', values: [] } });
  else if (f.assignee) filters.push({ assignee: { operator: '=', values: [f.assignee] } });
  if (f.type) filters.push({ type: { operator: '=', values: [f.type] } });
  if (f.text.trim()) filters.push({ typeahead: { operator: '**', values: [f.text.trim()] } });
  return filters;
}

export const listWorkPackages = (projectId: number, f: WorkPackageFilters) =>
  api<Collection<WorkPackage>>('GET', `${V3}/projects/${projectId}/work_packages?${all}&${filtersParam(workPackageFilters(f))}`);
export const getWorkPackage = (id: number) => api<WorkPackage>('GET', `${V3}/work_packages/${id}`);

export interface WorkPackageInput {
  subject: string;
  description: string;
  typeId: number | null;
  statusId: number | null;
  assigneeId: number | null;
}
const workPackageBody = (input: WorkPackageInput) => ({
  subject: input.subject,
  description: { raw: input.description },
  _links: {
    ...(input.typeId ? { type: href('types', input.typeId) } : {}),
    ...(input.statusId ? { status: href('statuses', input.statusId) } : {}),
    assignee: href('users', input.assigneeId),
  },
});
export const createWorkPackage = (projectId: number, input: WorkPackageInput) =>
  api<WorkPackage>('POST', `${V3}/projects/${projectId}/work_packages`, workPackageBody(input));
export const updateWorkPackage = (id: number, lockVersion: number, input: WorkPackageInput) =>
  api<WorkPackage>('PATCH', `${V3}/work_packages/${id}`, { lockVersion, ...workPackageBody(input) });
export const listActivities = (id: number) => elements<Activity>(`${V3}/work_packages/${id}/activities`);
export const addComment = (id: number, comment: string) => api<Activity>('POST', `${V3}/work_packages/${id}/activities`, { comment: { raw: comment } });

export const listTypes = (projectId: number) => elements<Named>(`${V3}/projects/${projectId}/types`);
export const listStatuses = () => elements<Status>(`${V3}/statuses`);
export const listAssignees = (projectId: number) => elements<User>(`${V3}/projects/${projectId}/available_assignees`);

// ---- notifications ----
export const listNotifications = (read: boolean) =>
  api<Collection<Notification>>('GET', `${V3}/notifications?pageSize=100&${filtersParam([{ read_ian: { operator: '=', values: [read ? 't' : 'f'] } }])}`);
export const setNotificationRead = (id: number, read: boolean) => api('POST', `${V3}/notifications/${id}/${read ? 'read_ian' : 'unread_ian'}`);
export const markAllRead = () => api('POST', `${V3}/notifications/read_ian`);
/** How many unread notifications the bell shows (one row fetched, `total` counts them all). */
export const countUnread = async () =>
  (await api<Collection<Notification>>('GET', `${V3}/notifications?pageSize=1&${filtersParam([{ read_ian: { operator: '=', values: ['f'] } }])}`)).total;

// ---- members and roles ----
export const listMemberships = (projectId: number) =>
  elements<Membership>(`${V3}/memberships?${all}&${filtersParam([{ project: { operator: '=', values: [String(projectId)] } }])}`);
export const addMember = (projectId: number, userId: number, roleIds: number[]) =>
  api<Membership>('POST', `${V3}/memberships`, {
    _links: { project: href('projects', projectId), principal: href('users', userId), roles: roleIds.map((id) => href('roles', id)) },
  });
export const setMemberRoles = (id: number, roleIds: number[]) =>
  api<Membership>('PATCH', `${V3}/memberships/${id}`, { _links: { roles: roleIds.map((r) => href('roles', r)) } });
export const removeMember = (id: number) => api('DELETE', `${V3}/memberships/${id}`);
export const listRoles = () => elements<Named>(`${V3}/roles`);
export const listPrincipals = () => elements<User>(`${V3}/principals?${all}`);

// ---- administration ----
export const listUsers = () => elements<User>(`${V3}/users?${all}`);
export const createUser = (input: { login: string; firstName: string; lastName: string; email: string; password: string; admin: boolean }) =>
  api<User>('POST', `${V3}/users`, { ...input, status: 'active' });
export const setUserLocked = (id: number, locked: boolean) => api<User>(locked ? 'POST' : 'DELETE', `${V3}/users/${id}/lock`);
export const deleteUser = (id: number) => api('DELETE', `${V3}/users/${id}`);

export interface PermissionDef {
  name: string;
  label: string;
  module: string | null;
}
export interface AdminRole extends Named {
  permissions: string[];
}
export const listPermissions = () => api<{ modules: { name: string; label: string }[]; permissions: PermissionDef[] }>('GET', '/api/admin/permissions');
export const listAdminRoles = async () => (await api<{ roles: AdminRole[] }>('GET', '/api/admin/roles')).roles;
export const createRole = (name: string, permissions: string[]) => api<AdminRole>('POST', '/api/admin/roles', { name, permissions });
export const setRolePermissions = (id: number, permissions: string[]) => api<AdminRole>('PATCH', `/api/admin/roles/${id}`, { permissions });
export const deleteRole = (id: number) => api('DELETE', `/api/admin/roles/${id}`);

export interface OAuthApplication {
  id: number;
  name: string;
  clientId: string;
  clientSecret?: string;
  confidential: boolean;
  scopes: string[];
  _links: { redirectUri: Link[] };
}
export const listApplications = async () => (await api<{ applications: OAuthApplication[] }>('GET', '/api/admin/oauth_applications')).applications;
export const createApplication = (input: { name: string; redirectUri: string; confidential: boolean }) =>
  api<OAuthApplication>('POST', '/api/admin/oauth_applications', { ...input, scopes: ['api_v3'] });
export const deleteApplication = (id: number) => api('DELETE', `/api/admin/oauth_applications/${id}`);

// ---- my account ----
export interface ApiKey {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  token?: string;
}
export const listApiKeys = async () => (await api<{ apiKeys: ApiKey[] }>('GET', '/api/my/api_keys')).apiKeys;
export const createApiKey = (name: string) => api<ApiKey>('POST', '/api/my/api_keys', { name });
export const revokeApiKey = (id: number) => api('DELETE', `/api/my/api_keys/${id}`);
