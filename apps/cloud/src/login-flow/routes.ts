import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError } from '@tandem/core';
import { setSessionCookie } from '../auth/routes.ts';
import { SESSION_COOKIE, type AuthContext } from '../auth/service.ts';
import { publicBaseUrl } from '../http/request-auth.ts';
import type { CloudServices } from '../services.ts';
import { grantPage, loginPage, messagePage } from './page.ts';

const Token = z.object({ token: z.string().min(1).max(256) });
const LoginForm = z.object({ user: z.string().min(1).max(256), password: z.string().min(1).max(1024) });
const GrantForm = z.object({ requesttoken: z.string().min(1) });

/** Pages hold a token in their URL: no caching, no referrer, no framing (click-jacking the grant). */
function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .send(html);
}

const EXPIRED = messagePage('Link expired', 'This login link is invalid or has expired. Start adding the account again in your client.');

/**
 * Login flow v2 (spec §2.8): `POST /index.php/login/v2` starts, `POST /login/v2/poll` polls, and the
 * browser pages under `/login/v2/flow/{token}` log the user in (or reuse the session) and grant.
 */
export function loginFlowRoutes(app: FastifyInstance, services: CloudServices): void {
  const flows = services.loginFlow;

  /** The browser session, if any (the flow page does its own CSRF check on the grant form). */
  const sessionOf = async (request: FastifyRequest): Promise<AuthContext | undefined> => {
    const token = request.cookies[SESSION_COOKIE];
    return token ? services.auth.authenticate({ sessionToken: token }, request.ip) : undefined;
  };

  for (const prefix of ['/index.php/login/v2', '/login/v2']) {
    app.post(prefix, async (request) => {
      const started = await flows.start(String(request.headers['user-agent'] ?? ''));
      const base = publicBaseUrl(services.config.publicUrl, request);
      return {
        poll: { token: started.pollToken, endpoint: `${base}/login/v2/poll` },
        login: `${base}/login/v2/flow/${started.loginToken}`,
      };
    });

    app.post(`${prefix}/poll`, async (request, reply) => {
      const body = Token.safeParse({ ...(request.query as object), ...(request.body as object) });
      const result = body.success ? await flows.poll(body.data.token) : undefined;
      if (!result) return reply.status(404).send([]);
      return { server: publicBaseUrl(services.config.publicUrl, request), ...result };
    });

    const page = `${prefix}/flow/:token`;
    app.get(page, async (request, reply) => {
      const { token } = request.params as { token: string };
      const flow = await flows.pending(token).catch(() => undefined);
      if (!flow) return sendPage(reply, 404, EXPIRED);
      const session = await sessionOf(request);
      const here = `${prefix}/flow/${token}`;
      if (!session) return sendPage(reply, 200, loginPage(`${here}/login`, flow.client_name));
      return sendPage(reply, 200, grantPage(`${here}/grant`, flow.client_name, session.user.display_name, session.csrfToken ?? ''));
    });

    app.post(`${page}/login`, async (request, reply) => {
      const { token } = request.params as { token: string };
      const flow = await flows.pending(token).catch(() => undefined);
      if (!flow) return sendPage(reply, 404, EXPIRED);
      const here = `${prefix}/flow/${token}`;
      const form = LoginForm.safeParse(request.body);
      if (!form.success) return sendPage(reply, 400, loginPage(`${here}/login`, flow.client_name, 'Enter your login and password.'));
      const retry = (status: number, message: string) =>
        sendPage(reply, status, loginPage(`${here}/login`, flow.client_name, message, form.data.user));
      let context: AuthContext;
      try {
        context = await services.auth.login(form.data.user, form.data.password, request.ip);
      } catch (error) {
        if (isAppError(error) && error.code === 'throttled') return retry(429, 'Too many failed login attempts; try again later.');
        if (isAppError(error) && error.code === 'invalid_credentials') return retry(401, 'Wrong login or password.');
        throw error;
      }
      // An app password must not become a browser session that mints more app passwords.
      if (context.method !== 'password') return retry(401, 'Wrong login or password.');
      setSessionCookie(request, reply, await services.auth.createSession(context.user.id));
      return reply.redirect(here, 303);
    });

    app.post(`${page}/grant`, async (request, reply) => {
      const { token } = request.params as { token: string };
      const session = await sessionOf(request);
      const form = GrantForm.safeParse(request.body);
      if (!session || !form.success || form.data.requesttoken !== session.csrfToken) {
        return sendPage(reply, 403, messagePage('Access denied', 'Your session expired or the form was not sent from this page. Open the login link again.'));
      }
      try {
        await flows.grant(token, session);
      } catch (error) {
        if (isAppError(error) && error.code === 'login_flow_not_found') return sendPage(reply, 404, EXPIRED);
        throw error;
      }
      return sendPage(reply, 200, messagePage('Account connected', 'Your client is now connected. You can close this window.'));
    });
  }
}
