import { Hint } from '@tandem/web-kit/DataTable.tsx';
import type { WorkPackage } from '../api/resources.ts';

/**
 * The work package's Files tab: the files linked from the cloud. A placeholder until file links exist
 * (the storages issue fills it from the work package's `fileLinks`).
 */
export function FilesTab(_props: { wp: WorkPackage }) {
  return <Hint>No files linked</Hint>;
}
