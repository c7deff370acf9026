import { afterEach, describe, expect, test, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { LoginPage, safeRedirect } from './LoginPage.tsx';
import { SessionProvider } from '../session.tsx';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function Where() {
  const location = useLocation();
  return <p>Now at {location.pathname + location.search}</p>;
}

/** The login page on a router where every other path just shows where we ended up. */
function renderLogin(url: string) {
  render(
    <MemoryRouter initialEntries={[url]}>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  );
}

async function logIn(user: string, password: string) {
  fireEvent.change(await screen.findByLabelText(/Account name or email/), { target: { value: user } });
  fireEvent.change(screen.getByLabelText(/Password/), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('login page', () => {
  test('shows the server’s reason when the login fails and stays on the page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'POST'
          ? json(401, { error: { code: 'invalid_credentials', message: 'Wrong login or password' } })
          : json(401, { error: { code: 'unauthenticated', message: 'Authentication required' } }),
      ),
    );
    renderLogin('/login');
    await logIn('alice', 'nope');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Wrong login or password');
    expect(screen.queryByText(/Now at/)).toBeNull();
  });

  test('goes to redirect_url after logging in', async () => {
    let loggedIn = false;
    const session = { user: { id: 'alice', displayName: 'Alice', email: null }, isAdmin: false, requesttoken: 'csrf' };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          loggedIn = true;
          return json(200, { user: session.user, requesttoken: 'csrf' });
        }
        return loggedIn ? json(200, session) : json(401, { error: { message: 'Authentication required' } });
      }),
    );
    renderLogin('/login?redirect_url=%2Fapps%2Ffiles%3Fdir%3D%2FDocs');
    await logIn('alice', 'secret-password');
    await waitFor(() => expect(screen.getByText('Now at /apps/files?dir=/Docs')).toBeTruthy());
  });

  test('never sends anyone to another site', () => {
    expect(safeRedirect('//evil.example/x')).toBeNull();
    expect(safeRedirect('https://evil.example/')).toBeNull();
    expect(safeRedirect('/\\evil.example')).toBeNull();
    expect(safeRedirect('/index.php/apps/oauth2/authorize?client_id=x')).toBe('/index.php/apps/oauth2/authorize?client_id=x');
  });
});
