import { useState, type FormEvent } from 'react';
import { Button, FormControl, Heading, TextInput } from '@primer/react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction } from '@tandem/web-kit/hooks.ts';
import { safeLocalPath, useLeaveForTarget } from '@tandem/web-kit/session.tsx';
import { login } from '../api/session.ts';
import { useSession } from '../session.tsx';

/** Pages of this app; anything else (the OAuth consent page `/oauth/authorize`) needs a full page load. */
const SPA_PATHS = /^\/(projects|work_packages|notifications|my|admin|login)(\/|$)/;

/** Sign in; afterwards go to `back_url` (OpenProject's name) or `redirect_url`. */
export function LoginPage() {
  const { session, setSession } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction();
  const target = safeLocalPath(params.get('back_url') ?? params.get('redirect_url'));
  const { external, leaving, leave } = useLeaveForTarget(target, (path) => SPA_PATHS.test(path));
  if (leaving) return null;
  if (session && !busy) {
    if (external) {
      leave();
      return null;
    }
    return <Navigate replace to={target ?? '/projects'} />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const next = await login(user.trim(), password);
      if (external) return leave();
      setSession(next);
      navigate(target ?? '/projects', { replace: true });
    });
  };

  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px', minHeight: '100vh', background: 'var(--bgColor-muted)' }}>
      <form
        onSubmit={submit}
        aria-label="Sign in"
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
          Sign in to Tandem Projects
        </Heading>
        <ErrorBanner error={error} />
        <FormControl required>
          <FormControl.Label>Username</FormControl.Label>
          <TextInput block autoFocus autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Password</FormControl.Label>
          <TextInput block type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" block loading={busy} disabled={!user || !password}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
