import { useEffect, useState, type FormEvent } from 'react';
import { Button, FormControl, Label, Spinner, Textarea, UnderlineNav } from '@primer/react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { idOf } from '../api/http.ts';
import { addComment, getWorkPackage, listActivities, updateWorkPackage, type WorkPackage } from '../api/resources.ts';
import { FilesTab } from '../components/FilesTab.tsx';
import { Layout } from '../components/Layout.tsx';
import { PageLoading, TextBlock } from '../components/Loading.tsx';
import { WorkPackageForm } from '../components/WorkPackageForm.tsx';
import { useRouteProject } from '../hooks.ts';

const TABS = [
  { tab: 'activity', label: 'Activity' },
  { tab: 'files', label: 'Files' },
] as const;

/** `/work_packages/:id` (links in notifications and from other apps) → the page inside its project. */
export function WorkPackageRedirect() {
  const { id = '' } = useParams();
  const wp = useLoader(() => getWorkPackage(Number(id)), [id]);
  if (wp.data) return <Navigate replace to={`/projects/${idOf(wp.data._links.project)}/work_packages/${wp.data.id}/activity`} />;
  return <PageLoading title="Work package" error={wp.error} />;
}

/** A work package: its attributes (editable), and the tabs Activity and Files. */
export function WorkPackagePage() {
  const { id = '', tab = 'activity' } = useParams();
  const navigate = useNavigate();
  const project = useRouteProject();
  const wp = useLoader(() => getWorkPackage(Number(id)), [id]);
  const [editing, setEditing] = useState(false);
  useEffect(() => setEditing(false), [id]);
  if (!project.data || !wp.data) return <PageLoading title="Work package" error={project.error ?? wp.error} />;
  const p = project.data;
  const w = wp.data;
  const base = `/projects/${p.identifier}/work_packages/${w.id}`;
  return (
    <Layout
      title={`#${w.id} ${w.subject}`}
      project={p}
      actions={w._links.updateImmediately && !editing ? <Button onClick={() => setEditing(true)}>Edit</Button> : null}
    >
      {editing ? (
        <WorkPackageForm
          projectId={p.id}
          existing={w}
          submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSubmit={async (input) => {
            await updateWorkPackage(w.id, w.lockVersion, input);
            setEditing(false);
            wp.reload();
          }}
        />
      ) : (
        <Attributes wp={w} />
      )}
      <div style={{ margin: '24px 0 16px' }}>
      <UnderlineNav aria-label="Work package tabs">
        {TABS.map((t) => (
          <UnderlineNav.Item
            key={t.tab}
            href={`${base}/${t.tab}`}
            aria-current={tab === t.tab ? 'page' : undefined}
            onSelect={(event) => {
              event.preventDefault();
              navigate(`${base}/${t.tab}`);
            }}
          >
            {t.label}
          </UnderlineNav.Item>
        ))}
      </UnderlineNav>
      </div>
      {tab === 'files' ? <FilesTab wp={w} /> : <ActivityTab wp={w} updatedAt={w.updatedAt} />}
    </Layout>
  );
}

function Attributes({ wp }: { wp: WorkPackage }) {
  const rows: [string, string | undefined][] = [
    ['Type', wp._links.type.title],
    ['Status', wp._links.status.title],
    ['Assignee', wp._links.assignee.title ?? '-'],
    ['Author', wp._links.author.title ?? '-'],
  ];
  return (
    <div>
      <dl aria-label="Attributes" style={{ display: 'grid', gridTemplateColumns: '120px 1fr', gap: '6px 16px', marginBottom: 16 }}>
        {rows.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt style={{ color: 'var(--fgColor-muted)' }}>{label}</dt>
            <dd style={{ margin: 0 }}>{label === 'Status' ? <Label>{value}</Label> : value}</dd>
          </div>
        ))}
      </dl>
      <section className="card" aria-label="Description">
        <TextBlock text={wp.description.raw} empty="No description." />
      </section>
    </div>
  );
}

function ActivityTab({ wp, updatedAt }: { wp: WorkPackage; updatedAt: string }) {
  const activities = useLoader(() => listActivities(wp.id), [wp.id, updatedAt]);
  const action = useAction(activities.reload);
  const [comment, setComment] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => addComment(wp.id, comment))) setComment('');
  };
  return (
    <section aria-label="Activity">
      <ErrorBanner error={activities.error ?? action.error} />
      {activities.loading && !activities.data ? <Spinner size="small" /> : null}
      {activities.data?.map((a) => (
        <article key={a.id} className="activity">
          <div style={{ fontSize: 12, color: 'var(--fgColor-muted)' }}>
            {a._links.user.title ?? 'System'} · {new Date(a.createdAt).toLocaleString()}
          </div>
          {a.comment.raw ? <div style={{ whiteSpace: 'pre-wrap' }}>{a.comment.raw}</div> : null}
          {!a.comment.raw && a.details.length === 0 ? <div>Created the work package.</div> : null}
          {a.details.length ? (
            <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
              {a.details.map((d, i) => (
                <li key={i}>{d.raw}</li>
              ))}
            </ul>
          ) : null}
        </article>
      ))}
      {wp._links.addComment ? (
        <form onSubmit={submit} aria-label="Add comment" style={{ display: 'flex', flexDirection: 'column', gap: 8, maxWidth: 720 }}>
          <FormControl>
            <FormControl.Label>Comment</FormControl.Label>
            <Textarea block rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
          </FormControl>
          <div>
            <Button type="submit" disabled={!comment.trim()} loading={action.busy}>
              Save comment
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
