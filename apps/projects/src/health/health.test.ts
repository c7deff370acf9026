import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDialects } from '@tandem/core/testkit';
import { loadProjectsConfig } from '../config.ts';
import { startProjects, type RunningProjects } from '../main.ts';
import { startTestProjects, type TestProjects } from '../testing.ts';

for (const dialect of testDialects()) {
  describe(`health checks and the worker on ${dialect}`, () => {
    let web: TestProjects;
    before(async () => {
      // A web-only process: jobs wait for a separate worker.
      web = await startTestProjects(dialect, { PROJECTS_ROLE: 'web', PROJECTS_HEALTH_JOBS_NEVER_RAN_MINUTES: '1' });
    });
    after(() => web.stop());

    it('answers /health_checks/default without authentication, as OkComputer words it', async () => {
      const response = await fetch(`${web.url}/health_checks/default`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^default: PASSED Application is running \(\d+\.\d{3}s\)$/);
      const json = await fetch(`${web.url}/health_checks/default.json`);
      assert.deepEqual(Object.keys((await json.json()) as object), ['default']);
      assert.equal((await fetch(`${web.url}/health_checks/nonsense`)).status, 404);
    });

    it('reports a missing worker and jobs waiting too long, and recovers once a worker process runs', async () => {
      let processed = 0;
      const handler = async () => void (processed += 1);
      await web.services.queue.enqueue('test:job', {}, { runAt: Date.now() - 2 * 60_000 });
      const failing = await fetch(`${web.url}/health_checks/all`);
      assert.equal(failing.status, 500);
      const text = await failing.text();
      assert.match(text, /^default: PASSED/m);
      assert.match(text, /^database: PASSED/m);
      assert.match(text, /^worker: FAILED No good_job processes are active\./m);
      assert.match(text, /^worker_backed_up: FAILED 1 jobs are waiting to be picked up for more than 1 minutes\./m);

      // `PROJECTS_ROLE=worker` on the same database: no HTTP, runs the queue and announces itself.
      const worker: RunningProjects = await startProjects(
        loadProjectsConfig({
          DATA_DIR: web.database.dataDir,
          PROJECTS_ROLE: 'worker',
          ...(web.database.url ? { PROJECTS_DATABASE_URL: web.database.url } : {}),
        }),
        (services) => void (services.jobs.handlers['test:job'] = handler),
      );
      try {
        assert.equal(worker.url, '');
        for (let i = 0; i < 800 && processed === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
        assert.equal(processed, 1);
        let body = '';
        for (let i = 0; i < 800; i += 1) {
          const response = await fetch(`${web.url}/health_checks/all`, { headers: { accept: 'application/json' } });
          body = await response.text();
          if (response.status === 200) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const checks = JSON.parse(body);
        assert.equal(checks.worker.success, true);
        assert.equal(checks.worker.message, '1 good_job processes are active.');
        assert.equal(checks.worker_backed_up.message, 'No jobs are waiting to be picked up.');
      } finally {
        await worker.stop();
      }
      const after = await (await fetch(`${web.url}/health_checks/worker`)).text();
      assert.match(after, /^worker: FAILED/, 'a stopped worker signs off');
    });
  });
}
