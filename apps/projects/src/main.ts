import crypto from 'node:crypto';
import { Worker, createLogger, installGracefulShutdown, listen } from '@tandem/core';
import { buildProjectsApp } from './app.ts';
import { loadProjectsConfig, type ProjectsConfig } from './config.ts';
import { HEARTBEAT_MS } from './health/service.ts';
import { createProjectsServices, type ProjectsServices } from './services.ts';

export interface RunningProjects {
  url: string;
  services: ProjectsServices;
  worker: Worker | undefined;
  stop(): Promise<void>;
}

/**
 * Composition root: config → database → services → HTTP and worker. `configure` runs after the
 * services exist and before anything starts (extra job handlers, listeners).
 */
export async function startProjects(
  config: ProjectsConfig,
  configure?: (services: ProjectsServices) => void | Promise<void>,
): Promise<RunningProjects> {
  const logger = createLogger('projects');
  const services = await createProjectsServices(config, logger);
  await configure?.(services);
  await services.roles.ensureDefaultRoles();
  const admin = await services.users.ensureInitialAdmin(config.initialAdminPassword);
  if (admin.generatedPassword) {
    // Printed once, on the first start only; it is stored hashed.
    process.stdout.write(`\nProjects admin account created: login "admin", password "${admin.generatedPassword}"\n\n`);
  }

  const app = config.role === 'worker' ? undefined : await buildProjectsApp(services);
  const url = app ? await listen(app, config.port, config.host) : '';
  const worker = config.role === 'web' ? undefined : startWorker(services);
  if (app) logger.info({ url }, 'Projects listening');
  return {
    url,
    services,
    worker: worker?.worker,
    async stop() {
      await app?.close();
      await worker?.stop();
      await services.close();
    },
  };
}

/** The job worker plus its heartbeat, which `/health_checks/worker` counts. */
function startWorker(services: ProjectsServices) {
  const worker = new Worker({ queue: services.queue, logger: services.logger, handlers: services.jobs.handlers, scheduled: services.jobs.scheduled });
  const id = crypto.randomUUID();
  const startedAt = Date.now();
  const beat = () => services.health.heartbeat(id, startedAt).catch((error: unknown) => services.logger.warn({ err: error }, 'worker heartbeat failed'));
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  void beat();
  worker.start();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await worker.stop();
      await services.health.workerStopped(id).catch(() => undefined);
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startProjects(loadProjectsConfig());
  installGracefulShutdown(running.services.logger, running.stop);
}
