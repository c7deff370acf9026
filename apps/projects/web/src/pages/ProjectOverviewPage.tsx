import { useEffect, useState } from 'react';
import { Button, Heading } from '@primer/react';
import { Link, useNavigate } from 'react-router';
import { Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useLoader } from '@tandem/web-kit/hooks.ts';
import { idOf } from '../api/http.ts';
import { listMemberships, listProjects } from '../api/resources.ts';
import { Layout } from '../components/Layout.tsx';
import { PageLoading, TextBlock } from '../components/Loading.tsx';
import { useRouteProject } from '../hooks.ts';
import { NewProjectForm } from './ProjectsPage.tsx';

/** A project's overview: description, sub-projects (with "+ Subproject"), members. */
export function ProjectOverviewPage() {
  const project = useRouteProject();
  const navigate = useNavigate();
  const id = project.data?.id;
  // Loaded again for each project shown: a sub-project may just have been created.
  const projects = useLoader(listProjects, [id]);
  const members = useLoader(() => (id ? listMemberships(id) : Promise.resolve([])), [id]);
  const [creating, setCreating] = useState(false);
  // Another project (e.g. the sub-project just created) starts without the form open.
  useEffect(() => setCreating(false), [id]);
  if (!project.data) return <PageLoading title="Overview" error={project.error} />;
  const p = project.data;
  const children = (projects.data ?? []).filter((other) => idOf(other._links.parent) === p.id);
  const parent = p._links.parent.href ? p._links.parent : undefined;
  return (
    <Layout title={p.name} project={p} actions={<Button onClick={() => setCreating((c) => !c)}>+ Subproject</Button>}>
      <ErrorBanner error={projects.error ?? members.error} />
      {creating ? <NewProjectForm projects={projects.data ?? []} parentId={p.id} onCreated={(child) => navigate(`/projects/${child.identifier}`)} /> : null}
      {parent ? (
        <p>
          Subproject of <Link to={`/projects/${idOf(parent)}`}>{parent.title}</Link>
        </p>
      ) : null}
      <section className="card" aria-label="Project description">
        <Heading as="h2" style={{ fontSize: 16, marginBottom: 8 }}>
          Project description
        </Heading>
        <TextBlock text={p.description.raw} empty="No description." />
      </section>
      <section className="card" aria-label="Subprojects">
        <Heading as="h2" style={{ fontSize: 16, marginBottom: 8 }}>
          Subprojects
        </Heading>
        {children.length ? (
          <ul>
            {children.map((child) => (
              <li key={child.id}>
                <Link to={`/projects/${child.identifier}`}>{child.name}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <Hint>No subprojects.</Hint>
        )}
      </section>
      <section className="card" aria-label="Members">
        <Heading as="h2" style={{ fontSize: 16, marginBottom: 8 }}>
          Members
        </Heading>
        {members.data?.length ? (
          <ul>
            {members.data.map((m) => (
              <li key={m.id}>
                {m._links.principal.title} — {m._links.roles.map((r) => r.title).join(', ')}
              </li>
            ))}
          </ul>
        ) : (
          <Hint>No members.</Hint>
        )}
      </section>
    </Layout>
  );
}
