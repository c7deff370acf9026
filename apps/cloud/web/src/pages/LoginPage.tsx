import { useRef, useState, type FormEvent } from 'react';
import { Button, FormControl, Heading, TextInput } from '@primer/react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../api/session.ts';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
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
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
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

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const next = await login(user.trim(), password);
      if (external) return leave();
      setSession(next);
      navigate(target ?? '/apps/files', { replace: true });
    });
  };

  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px', minHeight: '100vh', background: 'var(--bgColor-muted)' }}>
      <form
        onSubmit={submit}
        aria-label="Log in"
        style={{
          width: 360,
          display: 'flex',
          flexDirection: 'column',
          gap: 16,
          padding: 32,
          background: 'var(--bgColor-default)',
          border: '1px solid var(--borderColor-default)',
          borderRadius: 12,
          alignSelf: 'flex-start',
        }}
      >
        <Heading as="h1" style={{ fontSize: 24 }}>
          Log in to Tandem Cloud
        </Heading>
        <ErrorBanner error={error} />
        <FormControl required>
          <FormControl.Label>Account name or email</FormControl.Label>
          <TextInput block autoFocus autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Password</FormControl.Label>
          <TextInput block type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" block loading={busy} disabled={!user || !password}>
          Log in
        </Button>
      </form>
    </main>
  );
}
