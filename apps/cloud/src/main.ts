import { Worker, createLogger, installGracefulShutdown, listen } from '@tandem/core';
import { buildCloudApp } from './app.ts';
import { loadCloudConfig, type CloudConfig } from './config.ts';
import { createCloudServices, type CloudServices } from './services.ts';

export interface RunningCloud {
  url: string;
  services: CloudServices;
  worker: Worker | undefined;
  stop(): Promise<void>;
}

/** Composition root: config → database → services → HTTP and worker. */
export async function startCloud(config: CloudConfig): Promise<RunningCloud> {
  const logger = createLogger('cloud');
  const services = await createCloudServices(config, logger);
  const admin = await services.users.ensureInitialAdmin(config.initialAdminPassword);
  if (admin.generatedPassword) {
    // Printed once, on the first start only; it is stored hashed.
    process.stdout.write(`\nCloud admin account created: login "admin", password "${admin.generatedPassword}"\n\n`);
  }
  await services.settings.instanceId();

  const app = config.role === 'worker' ? undefined : await buildCloudApp(services);
  const url = app ? await listen(app, config.port, config.host) : '';
  const worker =
    config.role === 'web'
      ? undefined
      : new Worker({ queue: services.queue, logger, handlers: services.jobs.handlers, scheduled: services.jobs.scheduled });
  worker?.start();
  if (app) logger.info({ url }, 'Cloud listening');
  return {
    url,
    services,
    worker,
    async stop() {
      await app?.close();
      await worker?.stop();
      await services.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startCloud(loadCloudConfig());
  installGracefulShutdown(running.services.logger, running.stop);
}
