import { Button, Label } from '@primer/react';
import * as api from '../../api/admin.ts';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';

/** Enable and disable apps (`/ocs/v2.php/cloud/apps`). */
export function AppsPage() {
  const apps = useLoader(async () => {
    const [enabled, disabled] = await Promise.all([api.listApps('enabled'), api.listApps('disabled')]);
    return [...enabled.map((id) => ({ id, enabled: true })), ...disabled.map((id) => ({ id, enabled: false }))].sort((a, b) => a.id.localeCompare(b.id));
  }, []);
  const action = useAction(apps.reload);
  return (
    <Layout title="Apps">
      <ErrorBanner error={action.error ?? apps.error} />
      <DataTable label="Apps" columns={[{ title: 'App' }, { title: 'State' }]} actionsWidth={140}>
        {apps.data?.map((app) => (
          <tr key={app.id}>
            <td>{app.id}</td>
            <td>{app.enabled ? <Label variant="success">Enabled</Label> : <Label>Disabled</Label>}</td>
            <td>
              <Button size="small" aria-label={`${app.enabled ? 'Disable' : 'Enable'} ${app.id}`} onClick={() => action.run(() => api.setAppEnabled(app.id, !app.enabled))}>
                {app.enabled ? 'Disable' : 'Enable'}
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}
