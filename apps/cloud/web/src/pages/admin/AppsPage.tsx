import { Button, Heading, Label } from '@primer/react';
import * as api from '../../api/admin.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '../../hooks.ts';

/** Enable and disable apps (`/ocs/v2.php/cloud/apps`). */
export function AppsPage() {
  const apps = useLoader(async () => ({ enabled: await api.listApps('enabled'), disabled: await api.listApps('disabled') }), []);
  const action = useAction();
  const toggle = (id: string, enabled: boolean) =>
    action.run(async () => {
      await api.setAppEnabled(id, enabled);
      apps.reload();
    });
  const rows = [...(apps.data?.enabled.map((id) => ({ id, enabled: true })) ?? []), ...(apps.data?.disabled.map((id) => ({ id, enabled: false })) ?? [])].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  return (
    <Layout title="Apps">
      <ErrorBanner error={action.error ?? apps.error} />
      <Heading as="h2" className="visually-hidden">
        Installed apps
      </Heading>
      <table className="data-table" aria-label="Apps">
        <thead>
          <tr>
            <th>App</th>
            <th>State</th>
            <th style={{ width: 140 }}>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((app) => (
            <tr key={app.id}>
              <td>{app.id}</td>
              <td>{app.enabled ? <Label variant="success">Enabled</Label> : <Label>Disabled</Label>}</td>
              <td>
                <Button size="small" aria-label={`${app.enabled ? 'Disable' : 'Enable'} ${app.id}`} onClick={() => toggle(app.id, !app.enabled)}>
                  {app.enabled ? 'Disable' : 'Enable'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
