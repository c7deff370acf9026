import { ApiError, api, setCsrfToken } from './http.ts';
import type { User } from './resources.ts';

export interface Session {
  user: User;
  isAdmin: boolean;
}

interface SessionBody {
  user: User;
  csrfToken: string | null;
}

const toSession = (body: SessionBody): Session => {
  setCsrfToken(body.csrfToken);
  return { user: body.user, isAdmin: Boolean(body.user.admin) };
};

/** The current browser session, or null when nobody is logged in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return toSession(await api<SessionBody>('GET', '/api/session'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function login(login: string, password: string): Promise<Session> {
  return toSession(await api<SessionBody>('POST', '/api/session', { login, password }));
}

export async function logout(): Promise<void> {
  await api('DELETE', '/api/session');
  setCsrfToken(null);
}
