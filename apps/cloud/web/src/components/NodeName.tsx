import type { ReactNode } from 'react';
import { FileDirectoryFillIcon, FileIcon } from '@primer/octicons-react';

/** A file or folder icon before its name (or a link to it). */
export function NodeName({ isDir, children }: { isDir: boolean; children: ReactNode }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      {isDir ? <FileDirectoryFillIcon fill="var(--fgColor-accent)" /> : <FileIcon />}
      {children}
    </span>
  );
}
