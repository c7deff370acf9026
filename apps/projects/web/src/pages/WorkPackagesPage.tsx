import { useState } from 'react';
import { Button, FormControl, TextInput } from '@primer/react';
import { Link, useNavigate } from 'react-router';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useLoader } from '@tandem/web-kit/hooks.ts';
import { listAssignees, listStatuses, listTypes, listWorkPackages, type WorkPackageFilters } from '../api/resources.ts';
import { ChoiceField, choices } from '../components/ChoiceField.tsx';
import { Layout } from '../components/Layout.tsx';
import { PageLoading } from '../components/Loading.tsx';
import { useRouteProject } from '../hooks.ts';

/** The project's work package table with OpenProject's basic filters (status, assignee, type, text). */
export function WorkPackagesPage() {
  const project = useRouteProject();
  const navigate = useNavigate();
  const id = project.data?.id;
  const [filters, setFilters] = useState<WorkPackageFilters>({ status: '', assignee: '', type: '', text: '' });
  const [text, setText] = useState('');
  const options = useLoader(
    async () => (id ? { types: await listTypes(id), statuses: await listStatuses(), assignees: await listAssignees(id).catch(() => []) } : undefined),
    [id],
  );
  const list = useLoader(() => (id ? listWorkPackages(id, filters) : Promise.resolve(undefined)), [id, filters]);
  if (!project.data) return <PageLoading title="Work packages" error={project.error} />;
  const p = project.data;
  const set = (patch: Partial<WorkPackageFilters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <Layout
      title="Work packages"
      project={p}
      actions={
        p._links.createWorkPackageImmediately ? (
          <Button variant="primary" onClick={() => navigate(`/projects/${p.identifier}/work_packages/new`)}>
            + Create
          </Button>
        ) : null
      }
    >
      <form
        aria-label="Filters"
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          set({ text });
        }}
      >
        <ChoiceField
          label="Status"
          value={filters.status}
          onChange={(status) => set({ status })}
          options={[{ value: '', label: 'open' }, { value: 'c', label: 'closed' }, { value: '*', label: 'all' }, ...choices(options.data?.statuses)]}
        />
        <ChoiceField
          label="Assignee"
          value={filters.assignee}
          onChange={(assignee) => set({ assignee })}
          options={[{ value: '', label: 'anyone' }, { value: 'me', label: 'me' }, { value: 'none', label: 'nobody' }, ...choices(options.data?.assignees)]}
        />
        <ChoiceField label="Type" value={filters.type} onChange={(type) => set({ type })} options={[{ value: '', label: 'all' }, ...choices(options.data?.types)]} />
        <FormControl>
          <FormControl.Label>Filter by text</FormControl.Label>
          <TextInput value={text} onChange={(e) => setText(e.target.value)} onBlur={() => set({ text })} />
        </FormControl>
        <Button type="submit">Apply</Button>
      </form>
      <ErrorBanner error={list.error ?? options.error} />
      {list.data && list.data.total === 0 ? <Hint>No work packages to display.</Hint> : null}
      {list.data?.total ? (
        <DataTable
          label="Work packages"
          columns={[{ title: 'ID', width: 60 }, { title: 'Subject' }, { title: 'Type', width: 110 }, { title: 'Status', width: 120 }, { title: 'Assignee', width: 160 }]}
        >
          {list.data._embedded.elements.map((wp) => (
            <tr key={wp.id}>
              <td>{wp.id}</td>
              <td>
                <Link to={`/projects/${p.identifier}/work_packages/${wp.id}/activity`}>{wp.subject}</Link>
              </td>
              <td>{wp._links.type.title}</td>
              <td>{wp._links.status.title}</td>
              <td>{wp._links.assignee.title ?? '-'}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
