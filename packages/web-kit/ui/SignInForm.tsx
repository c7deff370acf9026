import { useState, type FormEvent } from 'react';
import { Button, FormControl, Heading, TextInput } from '@primer/react';
import { ErrorBanner } from './ErrorBanner.tsx';

export interface SignInFormProps {
  title: string;
  /** Each product's words: "Account name or email" / "Log in", "Username" / "Sign in". */
  userLabel: string;
  submitLabel: string;
  error: unknown;
  busy: boolean;
  onSubmit(user: string, password: string): void;
}

/** The centred sign-in card of both web UIs; the page around it decides where to go afterwards. */
export function SignInForm({ title, userLabel, submitLabel, error, busy, onSubmit }: SignInFormProps) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(user.trim(), password);
  };
  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px', minHeight: '100vh', background: 'var(--bgColor-muted)' }}>
      <form
        onSubmit={submit}
        aria-label={submitLabel}
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
          {title}
        </Heading>
        <ErrorBanner error={error} />
        <FormControl required>
          <FormControl.Label>{userLabel}</FormControl.Label>
          <TextInput block autoFocus autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        </FormControl>
        <FormControl required>
          <FormControl.Label>Password</FormControl.Label>
          <TextInput block type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </FormControl>
        <Button type="submit" variant="primary" block loading={busy} disabled={!user || !password}>
          {submitLabel}
        </Button>
      </form>
    </main>
  );
}
