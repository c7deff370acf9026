import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spinner } from '@primer/react';
import { ErrorBanner } from './ErrorBanner.tsx';

export interface SessionState<S> {
  session: S | null;
  setSession(session: S | null): void;
}

export interface SessionOptions<S> {
  /** The current session, or null when nobody is signed in. */
  fetchSession(): Promise<S | null>;
  isAdmin(session: S): boolean;
  /** The sign-in page that brings the visitor back to `back` afterwards. */
  loginUrl(back: string): string;
  /** Shown to signed-in non-admins on admin pages. */
  notAdmin: string;
}

/**
 * A web UI's session: `SessionProvider` loads who is signed in once, pages read it with `useSession()`,
 * and `RequireSession` sends anonymous visitors to the sign-in page (and back afterwards).
 */
export function createSession<S>(options: SessionOptions<S>) {
  const SessionContext = createContext<SessionState<S>>({ session: null, setSession: () => undefined });

  function SessionProvider({ children }: { children: ReactNode }) {
    const [session, setSession] = useState<S | null | undefined>(undefined);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      options.fetchSession().then(setSession, (cause: unknown) => {
        setError(cause);
        setSession(null);
      });
    }, []);
    const set = useCallback((next: S | null) => setSession(next), []);
    if (session === undefined) return <Spinner aria-label="Loading" />;
    return (
      <SessionContext.Provider value={{ session, setSession: set }}>
        <ErrorBanner error={error} />
        {children}
      </SessionContext.Provider>
    );
  }

  const useSession = (): SessionState<S> => useContext(SessionContext);

  function RequireSession({ admin = false, children }: { admin?: boolean; children: ReactNode }) {
    const { session } = useSession();
    const location = useLocation();
    if (!session) return <Navigate replace to={options.loginUrl(`${location.pathname}${location.search}`)} />;
    if (admin && !options.isAdmin(session)) return <ErrorBanner error={options.notAdmin} />;
    return <>{children}</>;
  }

  return { SessionProvider, useSession, RequireSession };
}

/** Only local paths are followed after signing in (`/…` but not `//host`): no open redirects. */
export function safeLocalPath(target: string | null): string | null {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return null;
  return target;
}

/**
 * Where a sign-in page goes afterwards: pages of the app by the router, anything else (server-rendered
 * pages such as an OAuth consent page) by a full page load, which must start only once — a second
 * load would abort the first.
 */
export function useLeaveForTarget(target: string | null, isAppPath: (path: string) => boolean) {
  const leaving = useRef(false);
  const external = target !== null && !isAppPath(target.split('?')[0] ?? '');
  const leave = () => {
    if (leaving.current) return;
    leaving.current = true;
    window.location.assign(target!);
  };
  return { external, leaving: leaving.current, leave };
}
