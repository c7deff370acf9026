import { useRef } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../api/session.ts';
import { SignInForm } from '@tandem/web-kit/SignInForm.tsx';
import { useAction } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../session.tsx';

/**
 * Only local paths are followed after login (`/…` but not `//host`), so the page cannot be used to
 * send someone to another site.
 */
export function safeRedirect(target: string | null): string | null {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return null;
  return target;
}

/** Server-rendered pages (OAuth consent, login flow) must be loaded by the browser, not the router. */
const SPA_PATHS = /^(\/index\.php)?\/(apps\/files|settings\/(users|groups|apps|user|admin)|f\/|login$)/;

export function LoginPage() {
  const { session, setSession } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { error, busy, run } = useAction();
  const target = safeRedirect(params.get('redirect_url'));

  // Server-rendered targets need a full page load; it must start only once, or the second load
  // aborts the first (and with it, e.g., an OAuth consent page the user is about to see).
  const leaving = useRef(false);
  const external = target !== null && !SPA_PATHS.test(target.split('?')[0] ?? '');
  const leave = () => {
    if (leaving.current) return;
    leaving.current = true;
    window.location.assign(target!);
  };

  if (leaving.current) return null;
  if (session && !busy) {
    if (external) {
      leave();
      return null;
    }
    return <Navigate replace to={target ?? '/apps/files'} />;
  }

  const submit = (user: string, password: string) =>
    void run(async () => {
      const next = await login(user, password);
      if (external) return leave();
      setSession(next);
      navigate(target ?? '/apps/files', { replace: true });
    });

  return (
    <SignInForm title="Log in to Tandem Cloud" userLabel="Account name or email" submitLabel="Log in" error={error} busy={busy} onSubmit={submit} />
  );
}
