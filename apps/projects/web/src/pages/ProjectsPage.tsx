import { useState, type FormEvent } from 'react';
import { Button, FormControl, Label, TextInput, Textarea } from '@primer/react';
import { Link, useNavigate } from 'react-router';
import { DataTable, Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { createProject, listProjects, type Project } from '../api/resources.ts';
import { idOf } from '../api/http.ts';
import { ChoiceField } from '../components/ChoiceField.tsx';
import { Layout } from '../components/Layout.tsx';

/** What OpenProject suggests as identifier for a name: lower case, dashes. */
export const identifierFor = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);

/** Projects as a tree: each followed by its sub-projects, indented by depth. */
export function projectTree(projects: Project[]): { project: Project; depth: number }[] {
  const byParent = new Map<number | null, Project[]>();
  const ids = new Set(projects.map((p) => p.id));
  for (const project of projects) {
    const parent = idOf(project._links.parent);
    const key = parent !== null && ids.has(parent) ? parent : null;
    byParent.set(key, [...(byParent.get(key) ?? []), project]);
  }
  const out: { project: Project; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const project of byParent.get(parent) ?? []) {
      out.push({ project, depth });
      walk(project.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function NewProjectForm({ projects, parentId = null, onCreated }: { projects: Project[]; parentId?: number | null; onCreated(project: Project): void }) {
  const [name, setName] = useState('');
  const [identifier, setIdentifier] = useState('');
  const [description, setDescription] = useState('');
  const [parent, setParent] = useState(parentId === null ? '' : String(parentId));
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      const created = await createProject({
        name: name.trim(),
        identifier: identifier.trim() || identifierFor(name),
        description,
        parentId: parent ? Number(parent) : null,
      });
      onCreated(created);
    });
  };
  return (
    <form onSubmit={submit} aria-label="New project" className="card" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <ErrorBanner error={action.error} />
      <div className="inline-form" style={{ marginBottom: 0 }}>
        <FormControl required>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput value={name} onChange={(e) => setName(e.target.value)} />
        </FormControl>
        <FormControl>
          <FormControl.Label>Identifier</FormControl.Label>
          <TextInput value={identifier} placeholder={identifierFor(name)} onChange={(e) => setIdentifier(e.target.value)} />
        </FormControl>
        <ChoiceField
          label="Subproject of"
          value={parent}
          onChange={setParent}
          options={[{ value: '', label: '(none)' }, ...projectTree(projects).map(({ project, depth }) => ({ value: String(project.id), label: '\u00a0\u00a0'.repeat(depth) + project.name }))]}
        />
      </div>
      <FormControl>
        <FormControl.Label>Description</FormControl.Label>
        <Textarea block rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </FormControl>
      <div>
        <Button type="submit" variant="primary" loading={action.busy} disabled={!name.trim()}>
          Create
        </Button>
      </div>
    </form>
  );
}

/** All projects the user can see, as a tree; admins and everyone allowed create new ones here. */
export function ProjectsPage() {
  const projects = useLoader(listProjects, []);
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  return (
    <Layout
      title="Projects"
      actions={
        <Button variant="primary" onClick={() => setCreating((c) => !c)}>
          + Project
        </Button>
      }
    >
      <ErrorBanner error={projects.error} />
      {creating ? <NewProjectForm projects={projects.data ?? []} onCreated={(p) => navigate(`/projects/${p.identifier}`)} /> : null}
      {projects.data?.length === 0 ? <Hint>No projects yet.</Hint> : null}
      {projects.data?.length ? (
        <DataTable label="Projects" columns={[{ title: 'Name' }, { title: 'Identifier', width: 200 }, { title: 'Status', width: 120 }]}>
          {projectTree(projects.data).map(({ project, depth }) => (
            <tr key={project.id}>
              <td style={{ paddingLeft: 8 + depth * 24 }}>
                <Link to={`/projects/${project.identifier}`}>{project.name}</Link>
              </td>
              <td>
                <code>{project.identifier}</code>
              </td>
              <td>{project.active ? null : <Label variant="secondary">Archived</Label>}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Layout>
  );
}
