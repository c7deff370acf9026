import { constraintViolation, errors } from '../errors.ts';
import type { StatusRow, TypeRow, TypesRepository } from './repository.ts';

/** Work package types and statuses (seeded as OpenProject seeds them) and per-project types. */
export class TypesService {
  constructor(private readonly repository: TypesRepository) {}

  types(): Promise<TypeRow[]> {
    return this.repository.types();
  }

  statuses(): Promise<StatusRow[]> {
    return this.repository.statuses();
  }

  async type(id: number): Promise<TypeRow> {
    const found = (await this.types()).find((t) => t.id === id);
    if (!found) throw errors.not_found({ resource: 'type', id });
    return found;
  }

  async status(id: number): Promise<StatusRow> {
    const found = (await this.statuses()).find((s) => s.id === id);
    if (!found) throw errors.not_found({ resource: 'status', id });
    return found;
  }

  async defaultStatus(): Promise<StatusRow> {
    const all = await this.statuses();
    return all.find((s) => s.is_default) ?? all[0]!;
  }

  /** Types offered in a project: those enabled for it, or every type while none is chosen. */
  async typesOf(projectId: number): Promise<TypeRow[]> {
    const [all, enabled] = await Promise.all([this.types(), this.repository.projectTypeIds(projectId)]);
    return enabled.length ? all.filter((t) => enabled.includes(t.id)) : all;
  }

  /** Enable exactly these types in a project (caller checked `edit_project`). */
  async setTypesOf(projectId: number, typeIds: number[]): Promise<TypeRow[]> {
    const all = await this.types();
    const unknown = typeIds.filter((id) => !all.some((t) => t.id === id));
    if (unknown.length || typeIds.length === 0) throw constraintViolation([{ attribute: 'types', message: 'Types is invalid.' }]);
    await this.repository.setProjectTypes(projectId, [...new Set(typeIds)]);
    return this.typesOf(projectId);
  }

  /** Ids of closed statuses (the `c` operator of the status filter; `o` is the rest). */
  async closedStatusIds(): Promise<number[]> {
    return (await this.statuses()).filter((s) => s.is_closed).map((s) => s.id);
  }
}
