import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAction } from '@tandem/web-kit/hooks.ts';
import { safeLocalPath, useLeaveForTarget } from '@tandem/web-kit/session.tsx';
import { SignInForm } from '@tandem/web-kit/SignInForm.tsx';
import { login } from '../api/session.ts';
import { useSession } from '../session.tsx';

/** Pages of this app; anything else (the OAuth consent page `/oauth/authorize`) needs a full page load. */
const SPA_PATHS = /^\/(projects|work_packages|notifications|my|admin|login)(\/|$)/;

/** Sign in; afterwards go to `back_url` (OpenProject's name) or `redirect_url`, local paths only. */
export function LoginPage() {
  const { session, setSession } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
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
  return (
    <SignInForm
      title="Sign in to Tandem Projects"
      userLabel="Username"
      submitLabel="Sign in"
      error={error}
      busy={busy}
      onSubmit={(user, password) =>
        run(async () => {
          const next = await login(user, password);
          if (external) return leave();
          setSession(next);
          navigate(target ?? '/projects', { replace: true });
        })
      }
    />
  );
}
