import { useState } from 'react';
import { Button, Text } from '@primer/react';
import { FileDirectoryFillIcon, FileIcon } from '@primer/octicons-react';
import * as dav from '../api/dav.ts';
import { ConfirmButton } from '../components/ConfirmButton.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { formatDate, formatSize } from '../format.ts';
import { useAction, useLoader } from '../hooks.ts';
import { useSession } from '../session.tsx';

/** Deleted files: restore to where they were, or delete for good. */
export function TrashPage() {
  const uid = useSession().session!.user.id;
  const trash = useLoader(() => dav.listTrash(uid), [uid]);
  const action = useAction();
  const [restored, setRestored] = useState<string>();
  const act = (work: () => Promise<unknown>) =>
    action.run(async () => {
      setRestored(undefined);
      await work();
      trash.reload();
    });

  return (
    <Layout title="Deleted files">
      <ErrorBanner error={action.error ?? trash.error} />
      {restored ? (
        <Text as="p" role="status" style={{ marginBottom: 12 }}>
          Restored {restored}.
        </Text>
      ) : null}
      {trash.data?.length === 0 ? (
        <Text as="p" style={{ color: 'var(--fgColor-muted)' }}>
          No deleted files.
        </Text>
      ) : null}
      {trash.data?.length ? (
        <table className="data-table" aria-label="Deleted files">
          <thead>
            <tr>
              <th>Name</th>
              <th>Original location</th>
              <th style={{ width: 100 }}>Size</th>
              <th style={{ width: 190 }}>Deleted</th>
              <th style={{ width: 260 }}>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {trash.data.map((item) => (
              <tr key={item.id}>
                <td>
                  <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
                    {item.isDir ? <FileDirectoryFillIcon fill="var(--fgColor-accent)" /> : <FileIcon />}
                    {item.name}
                  </span>
                </td>
                <td>{item.originalLocation ? `/${item.originalLocation.replace(/^\/+/, '')}` : ''}</td>
                <td>{formatSize(item.size)}</td>
                <td>{formatDate(item.deletedAt)}</td>
                <td>
<div className="row-actions">
                  <Button
                    size="small"
                    aria-label={`Restore ${item.name}`}
                    onClick={() =>
                      act(async () => {
                        await dav.restore(uid, item);
                        setRestored(item.name);
                      })
                    }
                  >
                    Restore
                  </Button>
                  <ConfirmButton
                    label={`Delete ${item.name} permanently`}
                    title={`Delete ${item.name} permanently?`}
                    text="It cannot be restored afterwards."
                    confirm="Delete permanently"
                    onConfirm={() => act(() => dav.purge(uid, item.id))}
                  >
                    Delete permanently
                  </ConfirmButton>
                </div>
</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Layout>
  );
}
