import { afterEach, describe, expect, test, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { safeLocalPath } from '@tandem/web-kit/session.tsx';
import { LoginPage } from './LoginPage.tsx';
import { SessionProvider } from '../session.tsx';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/hal+json' } });
const UNAUTHENTICATED = { _type: 'Error', errorIdentifier: 'urn:openproject-org:api:v3:errors:Unauthenticated', message: 'You need to be authenticated to access this resource.' };
const ALICE = { _type: 'User', id: 5, name: 'Alice Tester', login: 'alice' };

function Where() {
  const location = useLocation();
  return <p>Now at {location.pathname + location.search}</p>;
}

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

async function signIn(login: string, password: string) {
  fireEvent.change(await screen.findByLabelText(/Username/), { target: { value: login } });
  fireEvent.change(screen.getByLabelText(/Password/), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('sign-in page', () => {
  test('shows the server’s message when signing in fails and stays on the page', async () => {
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? json(401, { ...UNAUTHENTICATED, message: 'Invalid user or password' })
        : json(401, UNAUTHENTICATED),
    ));
    renderLogin('/login');
    await signIn('alice', 'nope');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Invalid user or password');
    expect(screen.queryByText(/Now at/)).toBeNull();
  });

  test('goes to back_url after signing in', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return init?.method === 'POST' ? json(200, { user: ALICE, csrfToken: 'csrf-1' }) : json(401, UNAUTHENTICATED);
    }));
    renderLogin('/login?back_url=%2Fprojects%2Fapollo%2Fwork_packages');
    await signIn('alice', 'secret');
    expect(await screen.findByText('Now at /projects/apollo/work_packages')).toBeTruthy();
    const post = calls.find((c) => c.init?.method === 'POST')!;
    expect(JSON.parse(String(post.init?.body))).toEqual({ login: 'alice', password: 'secret' });
    // Anonymous requests ask for the Session scheme, so the browser shows no Basic password dialog.
    expect((calls[0]!.init?.headers as Record<string, string>)['x-requested-with']).toBe('XMLHttpRequest');
  });

  test('follows only local paths', () => {
    expect(safeLocalPath('/oauth/authorize?client_id=x')).toBe('/oauth/authorize?client_id=x');
    expect(safeLocalPath('//evil.example/')).toBeNull();
    expect(safeLocalPath('/\\evil.example')).toBeNull();
    expect(safeLocalPath('https://evil.example/')).toBeNull();
  });
});
