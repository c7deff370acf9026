import { useState } from 'react';
import { Button, Label, SegmentedControl, TextInput } from '@primer/react';
import { SearchIcon } from '@primer/octicons-react';
import * as api from '../../api/admin.ts';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../../components/Layout.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';

const CATEGORIES = [
  { id: '', label: 'All apps' },
  { id: 'files', label: 'Files' },
  { id: 'integration', label: 'Integration' },
  { id: 'security', label: 'Security' },
];

/** Enable and disable apps (`/ocs/v2.php/cloud/apps`), by category or found by name. */
export function AppsPage() {
  const apps = useLoader(async () => {
    const [enabled, disabled] = await Promise.all([api.listApps('enabled'), api.listApps('disabled')]);
    const infos = await Promise.all([...enabled, ...disabled].map((id) => api.appInfo(id)));
    return infos.sort((a, b) => a.name.localeCompare(b.name));
  }, []);
  const action = useAction(apps.reload);
  const [category, setCategory] = useState('');
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = (apps.data ?? []).filter(
    (app) => (!category || app.category === category) && (!needle || app.name.toLowerCase().includes(needle) || app.id.toLowerCase().includes(needle)),
  );
  return (
    <Layout title="Apps">
      <div className="inline-form" style={{ marginBottom: 12 }}>
        <SegmentedControl aria-label="Category">
          {CATEGORIES.map((c) => (
            <SegmentedControl.Button key={c.id} selected={category === c.id} onClick={() => setCategory(c.id)}>
              {c.label}
            </SegmentedControl.Button>
          ))}
        </SegmentedControl>
        <TextInput aria-label="Search apps" placeholder="Search apps" leadingVisual={SearchIcon} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <ErrorBanner error={action.error ?? apps.error} />
      <DataTable label="Apps" columns={[{ title: 'App' }, { title: 'State' }]} actionsWidth={140}>
        {shown.map((app) => (
          <tr key={app.id}>
            <td>
              {app.name} <code>{app.id}</code>
            </td>
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
