import { useParams } from 'react-router';
import { useLoader } from '@tandem/web-kit/hooks.ts';
import { getProject } from './api/resources.ts';

/** The project named in the page's path (`/projects/:project/…`, identifier or id). */
export function useRouteProject() {
  const { project = '' } = useParams();
  return useLoader(() => getProject(project), [project]);
}
