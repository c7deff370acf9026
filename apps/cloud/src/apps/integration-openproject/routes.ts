import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError } from '@tandem/core';
import type { AuthContext } from '../../auth/service.ts';
import { errors } from '../../errors.ts';
import { acceptEmptyJson } from '../../http/json-body.ts';
import { requestAuth } from '../../http/request-auth.ts';
import type { CloudServices } from '../../services.ts';
import { IntegrationDiagnostics } from './diagnostics.ts';
import { APP_ID, SETTING_KEYS, SetupError, type ConfigResult } from './service.ts';
import { validateSetupValues } from './validation.ts';

const Values = z.object({ values: z.record(z.string(), z.unknown()) });
const HostProbe = z.object({ url: z.string() });

/** The caller must be a signed-in administrator (Nextcloud's default for app routes). */
async function requireAdmin(services: CloudServices, request: FastifyRequest): Promise<AuthContext> {
  const context = await requestAuth(services.auth, request);
  if (!context) throw errors.unauthenticated();
  if (!(await services.users.isAdmin(context.user.id))) throw errors.openproject_admin_required();
  return context;
}

function parseValues(body: unknown): Record<string, unknown> {
  const parsed = Values.safeParse(body);
  if (!parsed.success) throw errors.openproject_invalid_settings();
  return parsed.data.values;
}

/** Setup API answers: only the optional keys that apply (spec §8.1). */
function extras(result: ConfigResult): Record<string, unknown> {
  return {
    ...(result.appPassword ? { openproject_user_app_password: result.appPassword } : {}),
    ...(result.revocationStatus ? { openproject_revocation_status: result.revocationStatus } : {}),
  };
}

/**
 * The integration_openproject web routes (`/index.php/apps/integration_openproject/…`, also without
 * `/index.php`). Answers use the real app's shapes: `{"error": …}` for failures of the app's own logic,
 * `{"message": …}` for the framework's refusals (not logged in, not an admin).
 */
export async function integrationOpenProjectRoutes(app: FastifyInstance, services: CloudServices): Promise<void> {
  const integration = services.integrationOpenProject;
  const diagnostics = new IntegrationDiagnostics(integration, services.settings, services.queue);
  for (const prefix of ['/index.php/apps/integration_openproject', '/apps/integration_openproject']) {
    await app.register(
      async (scope) => {
        scope.setErrorHandler((error, request, reply: FastifyReply) => {
          if (error instanceof SetupError) return reply.status(error.status).send({ error: error.message });
          if (isAppError(error)) {
            if (error.code === 'unauthenticated' || error.code === 'invalid_credentials') return reply.status(401).send({ message: 'Current user is not logged in' });
            if (error.code === 'openproject_admin_required' || error.code === 'csrf_check_failed') return reply.status(error.status).send({ message: error.message });
            if (error.status < 500) return reply.status(error.status).send({ error: error.message });
          }
          const status = (error as { statusCode?: number }).statusCode;
          if (status && status < 500) return reply.status(400).send({ error: (error as Error).message });
          request.log.error({ err: error }, 'integration_openproject request failed');
          return reply.status(500).send({ error: (error as Error).message || 'Internal Server Error' });
        });
        acceptEmptyJson(scope, () => errors.openproject_invalid_settings({}, 'Invalid JSON body'));
        // A disabled app has no routes, as in Nextcloud.
        scope.addHook('onRequest', async () => {
          if (!(await integration.enabled())) throw errors.app_not_found({ id: APP_ID });
        });

        // Public: OpenProject checks that a proxy in front of Cloud passes the Authorization header on.
        scope.get('/check-config', async (request) => {
          let userId = '';
          try {
            userId = (await requestAuth(services.auth, request))?.user.id ?? '';
          } catch {
            // a test bearer such as TESTBEARERTOKEN is no credential: echo it anyway
          }
          return { user_id: userId, authorization_header: request.headers.authorization ?? null };
        });

        scope.post('/is-valid-op-instance', async (request) => {
          if (!(await requestAuth(services.auth, request))) throw errors.unauthenticated();
          const body = HostProbe.safeParse(request.body);
          return integration.checkHost(body.success ? body.data.url.trim() : '');
        });

        scope.put('/admin-config', async (request) => {
          await requireAdmin(services, request);
          const result = await integration.setConfig(parseValues(request.body));
          return { status: result.status, oPOAuthTokenRevokeStatus: result.revocationStatus, oPUserAppPassword: result.appPassword };
        });

        scope.post('/nc-oauth', async (request) => {
          await requireAdmin(services, request);
          const { id: _id, ...client } = await integration.recreateNcOAuthClient();
          return client;
        });

        scope.get('/check-admin-config', async (request) => {
          await requireAdmin(services, request);
          return { config_status_without_project_folder: await integration.isConfigOk(), project_folder_setup_status: await integration.hasAppPassword() };
        });

        scope.get('/project-folder-status', async (request) => {
          await requireAdmin(services, request);
          return { result: await integration.isProjectFolderSetupComplete() };
        });

        scope.post('/sign-term-of-service', async (request) => {
          await requireAdmin(services, request);
          return { result: await integration.signTerms() };
        });

        // Beyond the real app: put a pre-existing user/group/folder right instead of deleting them by hand.
        scope.post('/project-folder/repair', async (request) => {
          await requireAdmin(services, request);
          await integration.ensureProjectFolder();
          return { result: await integration.isProjectFolderSetupComplete() };
        });

        // The admin page's state (the real app's `admin-settings-config` initial state).
        scope.get('/admin-state', async (request) => {
          await requireAdmin(services, request);
          return integration.adminState();
        });

        // Every troubleshooting check at once, for monitoring and the admin page: 200 all passed, 503 otherwise.
        scope.get('/diagnostics', async (request, reply) => {
          await requireAdmin(services, request);
          const checks = await diagnostics.run();
          const success = checks.every((c) => c.success);
          return reply.status(success ? 200 : 503).send({ success, checks });
        });

        scope.post('/setup', async (request) => {
          await requireAdmin(services, request);
          const values = { ...parseValues(request.body) };
          // Empty values are refused before the backwards-compatible method default fills them.
          if (Object.keys(values).length === 0) throw errors.openproject_invalid_settings();
          if (!('authorization_method' in values)) values.authorization_method = 'oauth2';
          if (values.authorization_method === 'oidc' && values.sso_provider_type === 'nextcloud_hub' && !values.oidc_provider) values.oidc_provider = 'Nextcloud Hub';
          const invalid = validateSetupValues(values, true);
          if (invalid) throw errors.openproject_invalid_settings({}, invalid);
          const result = await integration.setConfig(values);
          if (values.authorization_method === 'oidc') return { status: result.status, ...extras(result) };
          const { id: _id, ...client } = await integration.recreateNcOAuthClient();
          return { status: await integration.isConfigOk(), ...client, ...extras(result) };
        });

        scope.patch('/setup', async (request) => {
          await requireAdmin(services, request);
          const values = { ...parseValues(request.body) };
          const invalid = validateSetupValues(values, false);
          if (invalid) throw errors.openproject_invalid_settings({}, invalid);
          if (values.sso_provider_type === 'nextcloud_hub' && !values.oidc_provider) values.oidc_provider = 'Nextcloud Hub';
          const result = await integration.setConfig(values);
          if ((await integration.get('authorization_method')) === 'oidc') return { status: result.status, ...extras(result) };
          const existing = await integration.ncOAuthClient();
          const client = existing ?? ((await integration.get('openproject_instance_url')) ? await integration.recreateNcOAuthClient() : {});
          return { status: await integration.isConfigOk(), ...client, ...extras(result) };
        });

        scope.delete('/setup', async (request) => {
          await requireAdmin(services, request);
          const result = await integration.setConfig(Object.fromEntries(SETTING_KEYS.map((k) => [k, null])));
          return { status: true, ...(result.revocationStatus ? { openproject_revocation_status: result.revocationStatus } : {}) };
        });
      },
      { prefix },
    );
  }
}
