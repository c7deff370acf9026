import { useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import { ActionList, ActionMenu, Breadcrumbs, Button, IconButton, Label, ProgressBar, Text } from '@primer/react';
import { KebabHorizontalIcon, PlusIcon, UploadIcon } from '@primer/octicons-react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import * as dav from '../api/dav.ts';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { Layout } from '../components/Layout.tsx';
import { NodeName } from '../components/NodeName.tsx';
import { PromptDialog } from '../components/PromptDialog.tsx';
import { formatDate, formatSize } from '../format.ts';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { useSession } from '../session.tsx';

interface Upload {
  key: string;
  name: string;
  loaded: number;
  total: number;
}

type Prompt = { kind: 'mkdir' } | { kind: 'rename'; node: dav.DavNode } | { kind: 'move'; node: dav.DavNode };

const can = (node: dav.DavNode, letter: string) => node.permissions === '' || node.permissions.includes(letter);

export const filesLink = (dir: string) => (dir === '/' ? '/apps/files' : `/apps/files?dir=${encodeURIComponent(dir)}`);

/** Browse one folder: breadcrumbs, upload with progress, new folder, download, rename, move, delete. */
export function FilesPage() {
  const uid = useSession().session!.user.id;
  const [params] = useSearchParams();
  const { fileId } = useParams();
  const navigate = useNavigate();
  const dir = dav.parentOf(`${params.get('dir') || '/'}/x`);
  const listing = useLoader(() => dav.listFolder(uid, dir), [uid, dir]);
  const action = useAction(listing.reload);
  const [prompt, setPrompt] = useState<Prompt>();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const crumbs = dir === '/' ? [] : dir.split('/').filter(Boolean);
  const folder = listing.data?.folder;

  const uploadAll = (files: File[]) =>
    action.run(async () => {
      for (const file of files) {
        const key = `${Date.now()}-${file.name}`;
        setUploads((list) => [...list, { key, name: file.name, loaded: 0, total: file.size }]);
        try {
          await dav.upload(uid, dav.joinPath(dir, file.name), file, (loaded, total) =>
            setUploads((list) => list.map((u) => (u.key === key ? { ...u, loaded, total } : u))),
          );
        } finally {
          setUploads((list) => list.filter((u) => u.key !== key));
          listing.reload();
        }
      }
    });

  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    return uploadAll(files);
  };

  // Files dropped anywhere on the page go into the open folder (folders themselves are not read).
  const writable = !!folder && can(folder, 'C');
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files).filter((file) => file.type !== '' || file.size > 0);
    if (writable && files.length) void uploadAll(files);
  };

  // Dialog actions report their own errors; the listing is reloaded after each success.
  const mutate = (work: () => Promise<unknown>) => async () => {
    await work();
    listing.reload();
  };

  return (
    <Layout title="Files">
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(writable);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={dragging ? 'drop-target' : undefined}
        style={{ minHeight: 300 }}
      >
        <nav aria-label="Breadcrumbs" style={{ marginBottom: 12 }}>
          <Breadcrumbs>
            <Breadcrumbs.Item href={filesLink('/')} selected={crumbs.length === 0} onClick={(e) => (e.preventDefault(), navigate(filesLink('/')))}>
              All files
            </Breadcrumbs.Item>
            {crumbs.map((name, index) => {
              const path = `/${crumbs.slice(0, index + 1).join('/')}`;
              return (
                <Breadcrumbs.Item key={path} href={filesLink(path)} selected={index === crumbs.length - 1} onClick={(e) => (e.preventDefault(), navigate(filesLink(path)))}>
                  {name}
                </Breadcrumbs.Item>
              );
            })}
          </Breadcrumbs>
        </nav>

        <div style={{ display: 'flex', gap: 8, marginBottom: 16 }}>
          <Button leadingVisual={PlusIcon} onClick={() => setPrompt({ kind: 'mkdir' })} disabled={!folder || !can(folder, 'K')}>
            New folder
          </Button>
          <Button leadingVisual={UploadIcon} onClick={() => input.current?.click()} disabled={!writable}>
            Upload
          </Button>
          <input ref={input} type="file" multiple aria-label="Upload files" onChange={onFiles} style={{ display: 'none' }} />
        </div>

        {uploads.map((upload) => (
          <div key={upload.key} style={{ marginBottom: 8 }}>
            <Text size="small">
              Uploading {upload.name} ({formatSize(upload.loaded)} of {formatSize(upload.total)})
            </Text>
            <ProgressBar
              aria-label={`Uploading ${upload.name}`}
              progress={upload.total ? Math.round((upload.loaded / upload.total) * 100) : 0}
            />
          </div>
        ))}

        <ErrorBanner error={action.error ?? listing.error} />

        {listing.data?.children.length === 0 ? <Hint>This folder is empty.</Hint> : null}
        {listing.data?.children.length ? (
          <DataTable label="Files" columns={[{ title: 'Name' }, { title: 'Size', width: 110 }, { title: 'Modified', width: 200 }]} actionsWidth={56}>
            {listing.data.children.map((node) => (
              <tr key={node.path} aria-selected={fileId !== undefined && node.fileId === fileId}>
                <td>
                  <NodeName isDir={node.isDir}>
                    {node.isDir ? (
                      <a href={filesLink(node.path)} onClick={(e) => (e.preventDefault(), navigate(filesLink(node.path)))}>
                        {node.name}
                      </a>
                    ) : (
                      <a href={dav.filesUrl(uid, node.path)} download={node.name}>
                        {node.name}
                      </a>
                    )}
                    {node.mountType === 'group' && dav.parentOf(node.path) === '/' ? <Label>Group folder</Label> : null}
                  </NodeName>
                </td>
                <td>{formatSize(node.size)}</td>
                <td>{formatDate(node.mtime)}</td>
                <td>
                  <ActionMenu>
                    <ActionMenu.Anchor>
                      <IconButton icon={KebabHorizontalIcon} aria-label={`Actions for ${node.name}`} variant="invisible" />
                    </ActionMenu.Anchor>
                    <ActionMenu.Overlay>
                      <ActionList>
                        {node.isDir ? null : (
                          <ActionList.LinkItem href={dav.filesUrl(uid, node.path)} download={node.name}>
                            Download
                          </ActionList.LinkItem>
                        )}
                        {can(node, 'N') ? <ActionList.Item onSelect={() => setPrompt({ kind: 'rename', node })}>Rename</ActionList.Item> : null}
                        {can(node, 'V') ? <ActionList.Item onSelect={() => setPrompt({ kind: 'move', node })}>Move</ActionList.Item> : null}
                        {can(node, 'D') ? (
                          <ActionList.Item variant="danger" onSelect={() => action.run(() => dav.remove(uid, node.path))}>
                            Delete
                          </ActionList.Item>
                        ) : null}
                      </ActionList>
                    </ActionMenu.Overlay>
                  </ActionMenu>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </div>

      {prompt?.kind === 'mkdir' ? (
        <PromptDialog
          title="New folder"
          label="Folder name"
          confirm="Create"
          onClose={() => setPrompt(undefined)}
          onSubmit={(name) => mutate(() => dav.createFolder(uid, dav.joinPath(dir, name)))()}
        />
      ) : null}
      {prompt?.kind === 'rename' ? (
        <PromptDialog
          title={`Rename ${prompt.node.name}`}
          label="New name"
          confirm="Rename"
          initial={prompt.node.name}
          selectStem={!prompt.node.isDir}
          onClose={() => setPrompt(undefined)}
          onSubmit={(name) => mutate(() => dav.move(uid, prompt.node.path, dav.joinPath(dav.parentOf(prompt.node.path), name)))()}
        />
      ) : null}
      {prompt?.kind === 'move' ? (
        <PromptDialog
          title={`Move ${prompt.node.name}`}
          label="Destination folder"
          confirm="Move"
          initial={dir}
          onClose={() => setPrompt(undefined)}
          onSubmit={(target) => mutate(() => dav.move(uid, prompt.node.path, dav.joinPath(target.startsWith('/') ? target : `/${target}`, prompt.node.name)))()}
        />
      ) : null}
    </Layout>
  );
}
