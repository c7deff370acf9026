import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spinner } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { fetchSession, type Session } from './api/session.ts';

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
      <ErrorBanner error={error} />
      {children}
    </SessionContext.Provider>
  );
}

export const useSession = (): SessionState => useContext(SessionContext);

/** Pages behind a login: anonymous visitors go to the login page and come back afterwards (`back_url`, as OpenProject). */
export function RequireSession({ admin = false, children }: { admin?: boolean; children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate replace to={`/login?back_url=${encodeURIComponent(`${location.pathname}${location.search}`)}`} />;
  if (admin && !session.isAdmin) return <ErrorBanner error="You are not authorized to access this page." />;
  return <>{children}</>;
}
