import { useState } from 'react';
import { Button, FormControl, Select, TextInput } from '@primer/react';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable } from '@tandem/web-kit/DataTable.tsx';
import { FOLDER_MODE_LABELS, removeProjectStorage, updateProjectStorage, type FolderMode, type ProjectStorage } from '../../api/storages.ts';

/** The project folder choice: mode, and the folder id for an existing folder. */
export function FolderModeFields({ mode, folderId, automatic, onMode, onFolderId }: { mode: FolderMode; folderId: string; automatic: boolean; onMode(m: FolderMode): void; onFolderId(id: string): void }) {
  const modes = (Object.keys(FOLDER_MODE_LABELS) as FolderMode[]).filter((m) => automatic || m !== 'automatic');
  return (
    <>
      <FormControl>
        <FormControl.Label>Project folders</FormControl.Label>
        <Select value={mode} onChange={(e) => onMode(e.target.value as FolderMode)}>
          {modes.map((m) => (
            <Select.Option key={m} value={m}>
              {FOLDER_MODE_LABELS[m]}
            </Select.Option>
          ))}
        </Select>
      </FormControl>
      {mode === 'manual' ? (
        <FormControl required>
          <FormControl.Label>Folder ID</FormControl.Label>
          <TextInput value={folderId} onChange={(e) => onFolderId(e.target.value)} />
        </FormControl>
      ) : null}
    </>
  );
}

function Row({ row, name, automatic, run }: { row: ProjectStorage; name: string; automatic: boolean; run(action: () => Promise<unknown>): Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [mode, setMode] = useState<FolderMode>(row.projectFolderMode);
  const [folderId, setFolderId] = useState(row._links.projectFolder?.href?.split('/').pop() ?? '');
  return (
    <tr>
      <td>{name}</td>
      <td>
        {editing ? (
          <div className="inline-form">
            <FolderModeFields mode={mode} folderId={folderId} automatic={automatic} onMode={setMode} onFolderId={setFolderId} />
            <Button size="small" variant="primary" onClick={async () => (await run(() => updateProjectStorage(row.id, mode, folderId.trim() || undefined))) && setEditing(false)}>
              Save
            </Button>
          </div>
        ) : (
          FOLDER_MODE_LABELS[row.projectFolderMode]
        )}
      </td>
      <td>
        <Button size="small" aria-label={`Edit project folder of ${name}`} onClick={() => setEditing(!editing)}>
          Edit
        </Button>{' '}
        <ConfirmButton
          label={`Remove ${name}`}
          title={`Remove the storage from ${name}?`}
          text="The project's links to files of this storage are removed. An automatically managed project folder is deleted with its files."
          confirm="Remove"
          onConfirm={() => run(() => removeProjectStorage(row.id))}
        >
          Remove
        </ConfirmButton>
      </td>
    </tr>
  );
}

/** Project storages with edit (folder mode; `automatic` says whether the row's storage offers managed folders) and remove. */
export function ProjectStorageList({ rows, label, nameOf, automatic, run }: { rows: ProjectStorage[]; label: string; nameOf(row: ProjectStorage): string; automatic(row: ProjectStorage): boolean; run(action: () => Promise<unknown>): Promise<boolean> }) {
  return (
    <DataTable label={label} columns={[{ title: 'Name' }, { title: 'Project folders' }]} actionsWidth={170}>
      {rows.map((row) => (
        <Row key={`${row.id}-${row.projectFolderMode}`} row={row} name={nameOf(row)} automatic={automatic(row)} run={run} />
      ))}
    </DataTable>
  );
}
