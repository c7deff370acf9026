import assert from 'node:assert/strict';
import type { TestDialect } from '@tandem/core/testkit';
import { startTestProjects, type TestProjects } from '../testing.ts';

/** Test helpers of the work-package and notification API tests. */
export const filters = (list: unknown) => `filters=${encodeURIComponent(JSON.stringify(list))}`;
export const href = (resource: string, id: number) => ({ href: `/api/v3/${resource}/${id}` });

export type Account = { user: { id: number }; auth: string };

export interface Fixture {
  server: TestProjects;
  alpha: number;
  beta: number;
  /** Member of Alpha (role Member). */
  member: Account;
  /** Reader of Alpha. */
  reader: Account;
  /** In no project yet. */
  outsider: Account;
  addMember(projectId: number, userId: number, role: string): Promise<void>;
}

/** A server with projects Alpha and Beta and three users; Beta has no members yet. */
export async function startFixture(dialect: TestDialect): Promise<Fixture> {
  const server = await startTestProjects(dialect);
  const project = async (name: string) => (await server.api('POST', '/api/v3/projects', { auth: server.adminAuth, body: { name } })).body.id as number;
  const roles = new Map<string, number>();
  const addMember = async (projectId: number, userId: number, role: string) => {
    if (roles.size === 0) {
      for (const r of (await server.api('GET', '/api/v3/roles', { auth: server.adminAuth })).body._embedded.elements) roles.set(r.name, r.id);
    }
    const body = { _links: { project: href('projects', projectId), principal: href('users', userId), roles: [href('roles', roles.get(role)!)] } };
    assert.equal((await server.api('POST', '/api/v3/memberships', { auth: server.adminAuth, body })).status, 201);
  };
  const fixture: Fixture = {
    server,
    alpha: await project('Alpha'),
    beta: await project('Beta'),
    member: await server.createUser('member'),
    reader: await server.createUser('reader'),
    outsider: await server.createUser('outsider'),
    addMember,
  };
  await addMember(fixture.alpha, fixture.member.user.id, 'Member');
  await addMember(fixture.alpha, fixture.reader.user.id, 'Reader');
  return fixture;
}
