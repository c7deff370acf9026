import { getUser } from './admin.ts';
import { ApiError, request, requestJson, setRequestToken } from './http.ts';

export interface Session {
  user: { id: string; displayName: string; email: string | null };
  isAdmin: boolean;
  requesttoken: string | null;
  /** Groups whose members this user manages (sub-admin); they may use the Users page. */
  subadminOf: string[];
}

/** The current browser session, or null when nobody is logged in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await requestJson<Omit<Session, 'subadminOf'>>('GET', '/api/session');
    setRequestToken(session.requesttoken);
    const subadminOf = session.isAdmin ? [] : await getUser(session.user.id).then((u) => u.subadmin, () => []);
    return { ...session, subadminOf };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function login(user: string, password: string): Promise<Session> {
  const answer = await requestJson<{ requesttoken: string }>('POST', '/api/session', { body: { user, password } });
  setRequestToken(answer.requesttoken);
  const session = await fetchSession();
  if (!session) throw new ApiError('The session could not be started; are cookies enabled?', 401);
  return session;
}

export async function logout(): Promise<void> {
  await request('DELETE', '/api/session');
  setRequestToken(null);
}
