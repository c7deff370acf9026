import { useState, type FormEvent } from 'react';
import { Button, FormControl, Select } from '@primer/react';
import { useParams } from 'react-router';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Hint } from '@tandem/web-kit/DataTable.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { getProject } from '../api/resources.ts';
import { addProjectStorages, listProjectStorages, listStorages, type FolderMode } from '../api/storages.ts';
import { Layout } from '../components/Layout.tsx';
import { FolderModeFields, ProjectStorageList } from './storages/ProjectStorageList.tsx';

/** Project settings → Files → External file storages (needs "Manage files in project"). */
export function ProjectStoragesPage() {
  const identifier = useParams().project!;
  const project = useLoader(() => getProject(identifier), [identifier]);
  const projectId = project.data?.id;
  const rows = useLoader(() => (projectId ? listProjectStorages({ projectId }) : Promise.resolve([])), [projectId]);
  const storages = useLoader(listStorages, []);
  const action = useAction(rows.reload);
  const [storageId, setStorageId] = useState('');
  const [mode, setMode] = useState<FolderMode>('inactive');
  const [folderId, setFolderId] = useState('');
  const linked = new Set((rows.data ?? []).map((r) => r._links.storage.href));
  const available = (storages.data ?? []).filter((s) => s.configured && !linked.has(`/api/v3/storages/${s.id}`));
  const chosen = storages.data?.find((s) => String(s.id) === storageId);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!projectId || !chosen) return;
    await action.run(() => addProjectStorages(chosen.id, { projectIds: [projectId], includeSubProjects: false, projectFolderMode: mode, ...(mode === 'manual' ? { projectFolderId: folderId.trim() } : {}) }));
  };
  return (
    <Layout title="External file storages" project={project.data}>
      <ErrorBanner error={action.error ?? rows.error ?? project.error} />
      <form onSubmit={add} aria-label="Add file storage" className="inline-form">
        <FormControl>
          <FormControl.Label>Storage</FormControl.Label>
          <Select value={storageId} onChange={(e) => setStorageId(e.target.value)}>
            <Select.Option value="">Select a storage</Select.Option>
            {available.map((s) => (
              <Select.Option key={s.id} value={String(s.id)}>
                {`${s.name} (Nextcloud)`}
              </Select.Option>
            ))}
          </Select>
        </FormControl>
        <FolderModeFields mode={mode} folderId={folderId} automatic={chosen?.hasApplicationPassword === true} onMode={setMode} onFolderId={setFolderId} />
        <Button type="submit" variant="primary" disabled={!chosen}>
          Add
        </Button>
      </form>
      {rows.data?.length ? (
        <ProjectStorageList rows={rows.data} label="External file storages" nameOf={(r) => r._links.storage.title ?? ''} automatic={(r) => storages.data?.some((s) => `/api/v3/storages/${s.id}` === r._links.storage.href && s.hasApplicationPassword) === true} run={action.run} />
      ) : rows.data ? (
        <Hint>No file storage is enabled in this project.</Hint>
      ) : null}
    </Layout>
  );
}
