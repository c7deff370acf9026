import { useEffect, useState } from 'react';
import { Button, Checkbox, FormControl } from '@primer/react';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { listModules, setModules } from '../api/resources.ts';
import { Layout } from '../components/Layout.tsx';
import { PageLoading } from '../components/Loading.tsx';
import { useRouteProject } from '../hooks.ts';

/** Project settings → Modules: switch project modules (Work packages, File storages, …) on and off. */
export function ModulesPage() {
  const project = useRouteProject();
  const id = project.data?.id;
  const modules = useLoader(() => (id ? listModules(id) : Promise.resolve([])), [id]);
  const [enabled, setEnabled] = useState<Set<string>>(new Set());
  const [saved, setSaved] = useState(false);
  const action = useAction(modules.reload);
  useEffect(() => setEnabled(new Set((modules.data ?? []).filter((m) => m.enabled).map((m) => m.name))), [modules.data]);
  if (!project.data) return <PageLoading title="Modules" error={project.error} />;
  const p = project.data;
  const toggle = (name: string, on: boolean) => {
    setSaved(false);
    setEnabled((current) => {
      const next = new Set(current);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  };
  return (
    <Layout title="Modules" project={p}>
      <ErrorBanner error={action.error ?? modules.error} />
      {saved ? <p role="status">Successful update.</p> : null}
      <form
        aria-label="Modules"
        onSubmit={async (event) => {
          event.preventDefault();
          setSaved(await action.run(() => setModules(p.id, [...enabled])));
        }}
        style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
      >
        {modules.data?.map((m) => (
          <FormControl key={m.name}>
            <Checkbox checked={enabled.has(m.name)} onChange={(e) => toggle(m.name, e.target.checked)} />
            <FormControl.Label>{m.label}</FormControl.Label>
          </FormControl>
        ))}
        <div>
          <Button type="submit" variant="primary" loading={action.busy}>
            Save
          </Button>
        </div>
      </form>
    </Layout>
  );
}
