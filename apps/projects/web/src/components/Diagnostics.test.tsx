import { afterEach, describe, expect, test, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { Diagnostics } from '@tandem/web-kit/Diagnostics.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('storage diagnostics tab', () => {
  test('shows every check; a failed one (503 answer) with what to do', async () => {
    const body = {
      success: false,
      checks: [
        { name: 'reachable', success: true, message: 'The host answers.' },
        { name: 'tls', success: false, message: 'Host can not be connected to. certificate verify failed', advice: 'Add the CA certificate to PROJECTS_CA_BUNDLE.' },
      ],
    };
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    render(<Diagnostics url="/api/admin/storages/7/diagnostics" />);
    expect((await screen.findByLabelText('tls: failed')).textContent).toContain('What to do: Add the CA certificate to PROJECTS_CA_BUNDLE.');
    expect(screen.getByLabelText('reachable: passed').textContent).toContain('The host answers.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fetch).toHaveBeenCalledWith('/api/admin/storages/7/diagnostics', expect.anything());
  });
});
