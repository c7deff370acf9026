import type { FastifyInstance } from 'fastify';
import { API_V3, collection } from '../api/hal.ts';
import { formattableRaw, idParam, jsonBody } from '../api/http.ts';
import { errors } from '../errors.ts';
import { requireUser } from '../http/request-auth.ts';
import type { ProjectsServices } from '../services.ts';
import { activityResource } from '../work-packages/presenter.ts';
import type { JournalRow, WorkPackageRow } from '../work-packages/repository.ts';

/** API v3 activities: a work package's journal (changes and comments), adding comments, editing one's own. */
export function activityRoutes(app: FastifyInstance, services: ProjectsServices): void {
  const { auth, workPackages, users } = services;

  const present = async (workPackage: WorkPackageRow, journals: JournalRow[]) => {
    const ids = [...new Set(journals.map((j) => j.user_id).filter((id): id is number => id !== null))];
    const byId = new Map((await users.findMany(ids)).map((u) => [u.id, u]));
    return journals.map((j) => activityResource(j, workPackage, j.user_id === null ? undefined : byId.get(j.user_id)));
  };

  app.get(`${API_V3}/work_packages/:id/activities`, async (request) => {
    const { user } = await requireUser(auth, request);
    const { workPackage, journals } = await workPackages.activities(user, idParam(request));
    return collection(`${API_V3}/work_packages/${workPackage.id}/activities`, await present(workPackage, journals));
  });

  app.post(`${API_V3}/work_packages/:id/activities`, async (request, reply) => {
    const { user } = await requireUser(auth, request);
    const id = idParam(request);
    await workPackages.visible(user, id);
    const text = formattableRaw(jsonBody(request).comment);
    if (text === undefined) throw errors.invalid_request_body();
    const journal = await workPackages.comment(user, id, text);
    const workPackage = await workPackages.visible(user, id);
    return reply.status(201).send((await present(workPackage, [journal]))[0]);
  });

  app.patch(`${API_V3}/activities/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const text = formattableRaw(jsonBody(request).comment);
    if (text === undefined) throw errors.invalid_request_body();
    const { workPackage, journal } = await workPackages.editComment(user, idParam(request), text);
    return (await present(workPackage, [journal]))[0];
  });

  app.get(`${API_V3}/activities/:id`, async (request) => {
    const { user } = await requireUser(auth, request);
    const { workPackage, journal } = await workPackages.activity(user, idParam(request));
    return (await present(workPackage, [journal]))[0];
  });
}
