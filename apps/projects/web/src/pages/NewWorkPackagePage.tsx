import { useNavigate } from 'react-router';
import { createWorkPackage } from '../api/resources.ts';
import { Layout } from '../components/Layout.tsx';
import { PageLoading } from '../components/Loading.tsx';
import { WorkPackageForm } from '../components/WorkPackageForm.tsx';
import { useRouteProject } from '../hooks.ts';

export function NewWorkPackagePage() {
  const project = useRouteProject();
  const navigate = useNavigate();
  if (!project.data) return <PageLoading title="New work package" error={project.error} />;
  const p = project.data;
  return (
    <Layout title="New work package" project={p}>
      <WorkPackageForm
        projectId={p.id}
        submitLabel="Save"
        onCancel={() => navigate(`/projects/${p.identifier}/work_packages`)}
        onSubmit={async (input) => {
          const created = await createWorkPackage(p.id, input);
          navigate(`/projects/${p.identifier}/work_packages/${created.id}/activity`, { replace: true });
        }}
      />
    </Layout>
  );
}
