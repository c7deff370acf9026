import type { Kysely, Migration } from 'kysely';
import { withId } from '@tandem/core';

/** OpenProject's seeded types (id = position order), `[name, color, isMilestone]`. */
export const DEFAULT_TYPES: [string, string, boolean][] = [
  ['Task', '#1A67A3', false],
  ['Milestone', '#FF922B', true],
  ['Phase', '#CC5DE8', false],
  ['Feature', '#35C53F', false],
  ['Epic', '#5F3DC4', false],
  ['User story', '#00A3DA', false],
  ['Bug', '#E03131', false],
];

/** OpenProject's seeded statuses, `[name, color, isClosed, defaultDoneRatio]`. */
export const DEFAULT_STATUSES: [string, string, boolean, number | null][] = [
  ['New', '#DEE2E6', false, null],
  ['In specification', '#FFEC99', false, null],
  ['Specified', '#FFD43B', false, null],
  ['Confirmed', '#FFA8A8', false, null],
  ['To be scheduled', '#FAB005', false, null],
  ['Scheduled', '#E599F7', false, null],
  ['In progress', '#CC5DE8', false, null],
  ['Developed', '#A9E34B', false, null],
  ['In testing', '#91A7FF', false, null],
  ['Tested', '#51CF66', false, null],
  ['Test failed', '#E03131', false, null],
  ['Closed', '#868E96', true, null],
  ['On hold', '#F76707', false, null],
  ['Rejected', '#343A40', true, null],
];

/**
 * Types, statuses, work packages with their journal (activities) and watchers, in-app notifications.
 * Indexes serve the listings: work packages by project (+ status/assignee/type/updated), notifications
 * of one recipient newest first, optionally unread only or of one work package.
 */
export const workPackages: Migration = {
  async up(db: Kysely<any>) {
    const now = Date.now();
    await withId(db, db.schema.createTable('types'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('color', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('is_milestone', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // Inserted one by one without ids so that ids follow positions and identity sequences stay right.
    for (const [index, [name, color, milestone]] of DEFAULT_TYPES.entries()) {
      await db.insertInto('types').values({ name, color, position: index + 1, is_default: 1, is_milestone: milestone ? 1 : 0, created_at: now, updated_at: now }).execute();
    }

    await withId(db, db.schema.createTable('statuses'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('color', 'text')
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('is_closed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_readonly', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('default_done_ratio', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    for (const [index, [name, color, closed, ratio]] of DEFAULT_STATUSES.entries()) {
      await db.insertInto('statuses').values({
        name, color, position: index + 1, is_closed: closed ? 1 : 0, is_default: index === 0 ? 1 : 0, is_readonly: 0,
        default_done_ratio: ratio, created_at: now, updated_at: now,
      }).execute();
    }

    // A project with no rows here offers every type; rows restrict it to those types.
    await db.schema
      .createTable('project_types')
      .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('type_id', 'bigint', (c) => c.notNull().references('types.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('project_types_pk', ['project_id', 'type_id'])
      .execute();

    await withId(db, db.schema.createTable('work_packages'))
      .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('type_id', 'bigint', (c) => c.notNull().references('types.id'))
      .addColumn('status_id', 'bigint', (c) => c.notNull().references('statuses.id'))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('author_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('assignee_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('start_date', 'text')
      .addColumn('due_date', 'text')
      .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('work_packages_project_updated').on('work_packages').columns(['project_id', 'updated_at']).execute();
    await db.schema.createIndex('work_packages_project_status').on('work_packages').columns(['project_id', 'status_id']).execute();
    await db.schema.createIndex('work_packages_assignee_status').on('work_packages').columns(['assignee_id', 'status_id']).execute();
    await db.schema.createIndex('work_packages_status').on('work_packages').column('status_id').execute();
    await db.schema.createIndex('work_packages_type').on('work_packages').column('type_id').execute();
    await db.schema.createIndex('work_packages_author').on('work_packages').column('author_id').execute();
    await db.schema.createIndex('work_packages_updated').on('work_packages').column('updated_at').execute();

    await withId(db, db.schema.createTable('journals'))
      .addColumn('work_package_id', 'bigint', (c) => c.notNull().references('work_packages.id').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('journals_work_package_version', ['work_package_id', 'version'])
      .execute();

    await db.schema
      .createTable('watchers')
      .addColumn('work_package_id', 'bigint', (c) => c.notNull().references('work_packages.id').onDelete('cascade'))
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('watchers_pk', ['work_package_id', 'user_id'])
      .execute();
    await db.schema.createIndex('watchers_user').on('watchers').column('user_id').execute();

    await withId(db, db.schema.createTable('notifications'))
      .addColumn('recipient_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('read_ian', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('resource_id', 'bigint', (c) => c.notNull().references('work_packages.id').onDelete('cascade'))
      .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('actor_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('journal_id', 'bigint', (c) => c.references('journals.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notifications_recipient').on('notifications').columns(['recipient_id', 'id']).execute();
    await db.schema.createIndex('notifications_recipient_read').on('notifications').columns(['recipient_id', 'read_ian', 'id']).execute();
    await db.schema.createIndex('notifications_recipient_resource').on('notifications').columns(['recipient_id', 'resource_id']).execute();
    // One notification per recipient and journal, so a retried job cannot notify twice.
    await db.schema.createIndex('notifications_journal_recipient').on('notifications').columns(['journal_id', 'recipient_id']).unique().execute();
    await db.schema.createIndex('notifications_resource').on('notifications').column('resource_id').execute();
  },
};
