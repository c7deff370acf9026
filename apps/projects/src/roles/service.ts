import { constraintViolation, errors } from '../errors.ts';
import { DEFAULT_ROLES, findPermission, withDependencies } from '../permissions/registry.ts';
import type { RoleRow, RolesRepository } from './repository.ts';

export interface RoleInput {
  name?: string | undefined;
  permissions?: string[] | undefined;
}

export const rolePermissions = (role: RoleRow): string[] => JSON.parse(role.permissions) as string[];

/** Roles and the permissions they grant; edited by admins. Dependencies are added automatically. */
export class RolesService {
  constructor(readonly repository: RolesRepository) {}

  list(): Promise<RoleRow[]> {
    return this.repository.list();
  }

  async get(id: number): Promise<RoleRow> {
    const role = await this.repository.find(id);
    if (!role) throw errors.not_found({ resource: 'role', id });
    return role;
  }

  findMany(ids: number[]): Promise<RoleRow[]> {
    return this.repository.findMany(ids);
  }

  async create(input: RoleInput): Promise<RoleRow> {
    await this.validate(input, undefined);
    const now = Date.now();
    return this.repository.insert({
      name: input.name!.trim(),
      permissions: JSON.stringify(withDependencies(input.permissions ?? [])),
      position: (await this.repository.count()) + 1,
      created_at: now,
      updated_at: now,
    });
  }

  async update(id: number, input: RoleInput): Promise<RoleRow> {
    const role = await this.get(id);
    await this.validate(input, role);
    const changes: Partial<RoleRow> = { updated_at: Date.now() };
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.permissions !== undefined) changes.permissions = JSON.stringify(withDependencies(input.permissions));
    await this.repository.update(id, changes);
    return { ...role, ...changes };
  }

  async delete(id: number): Promise<void> {
    await this.get(id);
    if ((await this.repository.usage(id)) > 0) {
      throw constraintViolation([{ attribute: 'base', message: 'This role is in use by a membership and cannot be deleted.' }]);
    }
    await this.repository.delete(id);
  }

  /** First start: Project admin, Member and Reader. */
  async ensureDefaultRoles(): Promise<void> {
    if ((await this.repository.count()) > 0) return;
    for (const role of DEFAULT_ROLES) await this.create(role);
  }

  private async validate(input: RoleInput, existing: RoleRow | undefined): Promise<void> {
    const violations: { attribute: string; message: string }[] = [];
    if (input.name !== undefined || !existing) {
      const name = input.name?.trim() ?? '';
      if (!name) violations.push({ attribute: 'name', message: "Name can't be blank." });
      else if (name.length > 256) violations.push({ attribute: 'name', message: 'Name is too long (maximum is 256 characters).' });
      else {
        const other = await this.repository.findByName(name);
        if (other && other.id !== existing?.id) violations.push({ attribute: 'name', message: 'Name has already been taken.' });
      }
    }
    const unknown = (input.permissions ?? []).filter((p) => !findPermission(p));
    if (unknown.length) violations.push({ attribute: 'permissions', message: `Permissions ${unknown.join(', ')} do not exist.` });
    if (violations.length) throw constraintViolation(violations);
  }
}
