import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spinner } from '@primer/react';
import { fetchSession, type Session } from './api/session.ts';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';

interface SessionState {
  session: Session | null;
  setSession(session: Session | null): void;
}

const SessionContext = createContext<SessionState>({ session: null, setSession: () => undefined });

/** Loads who is logged in once; pages read it with `useSession()`. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    fetchSession().then(setSession, (cause: unknown) => {
      setError(cause);
      setSession(null);
    });
  }, []);
  const set = useCallback((next: Session | null) => setSession(next), []);
  if (session === undefined) return <Spinner aria-label="Loading" />;
  return (
    <SessionContext.Provider value={{ session, setSession: set }}>
      {error ? <ErrorBanner error={error} /> : null}
      {children}
    </SessionContext.Provider>
  );
}

export const useSession = (): SessionState => useContext(SessionContext);

export type Access = 'user' | 'subadmin' | 'admin';

export const mayAccess = (session: Session, access: Access): boolean =>
  access === 'user' || session.isAdmin || (access === 'subadmin' && session.subadminOf.length > 0);

/** Pages behind a login: anonymous visitors go to the login page and come back afterwards. */
export function RequireSession({ access = 'user', children }: { access?: Access; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) {
    const back = `${location.pathname}${location.search}`;
    return <Navigate replace to={`/login?redirect_url=${encodeURIComponent(back)}`} />;
  }
  if (!mayAccess(session, access)) return <ErrorBanner error="Only administrators may see this page." />;
  return <>{children}</>;
}
