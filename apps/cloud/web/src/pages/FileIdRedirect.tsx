import { Navigate, useParams } from 'react-router';
import { Spinner } from '@primer/react';
import * as dav from '../api/dav.ts';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { useLoader } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../session.tsx';
import { filesLink } from './FilesPage.tsx';

/** `/index.php/f/{fileid}` (links OpenProject builds): open the folder, or the folder holding the file. */
export function FileIdRedirect() {
  const uid = useSession().session!.user.id;
  const { fileId = '' } = useParams();
  const found = useLoader(() => dav.findByFileId(uid, fileId), [uid, fileId]);
  if (found.loading) return <Spinner aria-label="Looking for the file" />;
  const node = found.data;
  if (!node) {
    return (
      <Layout title="Files">
        <ErrorBanner error={found.error ?? 'This file does not exist or you have no access to it.'} />
      </Layout>
    );
  }
  const dir = node.isDir ? node.path : dav.parentOf(node.path);
  const target = node.isDir ? filesLink(dir) : `/apps/files/files/${node.fileId}?dir=${encodeURIComponent(dir)}&openfile=true`;
  return <Navigate replace to={target} />;
}
