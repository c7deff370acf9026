import { useState } from 'react';
import { Button, Text } from '@primer/react';
import * as dav from '../api/dav.ts';
import { ConfirmButton } from '@tandem/web-kit/ConfirmButton.tsx';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { NodeName } from '../components/NodeName.tsx';
import { formatDate, formatSize } from '../format.ts';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../session.tsx';

/** Deleted files: restore to where they were, or delete for good. */
export function TrashPage() {
  const uid = useSession().session!.user.id;
  const trash = useLoader(() => dav.listTrash(uid), [uid]);
  const action = useAction(trash.reload);
  const [restored, setRestored] = useState<string>();

  return (
    <Layout title="Deleted files">
      <ErrorBanner error={action.error ?? trash.error} />
      {restored ? (
        <Text as="p" role="status" style={{ marginBottom: 12 }}>
          Restored {restored}.
        </Text>
      ) : null}
      {trash.data?.length === 0 ? <Hint>No deleted files.</Hint> : null}
      {trash.data?.length ? (
        <div style={{ marginBottom: 12 }}>
          <ConfirmButton
            label="Empty deleted files"
            title="Delete all deleted files permanently?"
            text="None of them can be restored afterwards."
            confirm="Empty deleted files"
            onConfirm={() => action.run(() => dav.emptyTrash(uid))}
          >
            Empty deleted files
          </ConfirmButton>
        </div>
      ) : null}
      {trash.data?.length ? (
        <DataTable
          label="Deleted files"
          columns={[{ title: 'Name' }, { title: 'Original location' }, { title: 'Size', width: 100 }, { title: 'Deleted', width: 190 }]}
          actionsWidth={260}
        >
          {trash.data.map((item) => (
            <tr key={item.id}>
              <td>
                <NodeName isDir={item.isDir}>{item.name}</NodeName>
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
                      action.run(async () => {
                        setRestored(undefined);
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
                    onConfirm={() => action.run(() => dav.purge(uid, item.id))}
                  >
                    Delete permanently
                  </ConfirmButton>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
