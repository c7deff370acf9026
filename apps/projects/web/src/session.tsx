import { createSession } from '@tandem/web-kit/session.tsx';
import { fetchSession, type Session } from './api/session.ts';

/** Who is signed in; pages behind a sign-in come back via `back_url`, as OpenProject's do. */
export const { SessionProvider, useSession, RequireSession } = createSession<Session>({
  fetchSession,
  isAdmin: (session) => session.isAdmin,
  loginUrl: (back) => `/login?back_url=${encodeURIComponent(back)}`,
  notAdmin: 'You are not authorized to access this page.',
});
