import type { Kysely, Selectable } from 'kysely';
import type { ProjectsDatabase, StatusesTable, TypesTable } from '../db/schema.ts';

export type TypeRow = Selectable<TypesTable>;
export type StatusRow = Selectable<StatusesTable>;

/** Types, statuses and the types enabled per project. Both lists are small and read often. */
export class TypesRepository {
  constructor(private readonly db: Kysely<ProjectsDatabase>) {}

  types(): Promise<TypeRow[]> {
    return this.db.selectFrom('types').selectAll().orderBy('position').orderBy('id').execute();
  }

  statuses(): Promise<StatusRow[]> {
    return this.db.selectFrom('statuses').selectAll().orderBy('position').orderBy('id').execute();
  }

  async projectTypeIds(projectId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('project_types').select('type_id').where('project_id', '=', projectId).execute();
    return rows.map((r) => Number(r.type_id));
  }

  async setProjectTypes(projectId: number, typeIds: number[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('project_types').where('project_id', '=', projectId).execute();
      if (typeIds.length) await trx.insertInto('project_types').values(typeIds.map((type_id) => ({ project_id: projectId, type_id }))).execute();
    });
  }
}
