import { useState } from 'react';
import { Button, Label, SegmentedControl } from '@primer/react';
import { Link } from 'react-router';
import { Hint } from '@tandem/web-kit/DataTable.tsx';
import { ErrorBanner } from '@tandem/web-kit/ErrorBanner.tsx';
import { useAction, useLoader } from '@tandem/web-kit/hooks.ts';
import { idOf } from '../api/http.ts';
import { listNotifications, markAllRead, setNotificationRead } from '../api/resources.ts';
import { Layout } from '../components/Layout.tsx';

/** OpenProject's reasons, as its notification centre words them. */
const REASONS: Record<string, string> = {
  assigned: 'Assigned',
  mentioned: 'Mentioned',
  watched: 'Watched',
  commented: 'Commented',
  created: 'Created',
  processed: 'Updated',
  prioritized: 'Prioritized',
  scheduled: 'Date alert',
  responsible: 'Accountable',
  shared: 'Shared',
};

/** The notification centre: unread or read notifications, each linking to its work package. */
export function NotificationsPage() {
  const [read, setRead] = useState(false);
  const list = useLoader(() => listNotifications(read), [read]);
  const action = useAction(list.reload);
  const items = list.data?._embedded.elements ?? [];
  return (
    <Layout
      title="Notifications"
      notificationsChanged={list.data}
      actions={
        !read && items.length ? (
          <Button onClick={() => action.run(markAllRead)} loading={action.busy}>
            Mark all as read
          </Button>
        ) : null
      }
    >
      <div style={{ marginBottom: 16 }}>
      <SegmentedControl aria-label="Show" onChange={(index) => setRead(index === 1)}>
        <SegmentedControl.Button selected={!read}>Unread</SegmentedControl.Button>
        <SegmentedControl.Button selected={read}>Read</SegmentedControl.Button>
      </SegmentedControl>
      </div>
      <ErrorBanner error={list.error ?? action.error} />
      {list.data && items.length === 0 ? <Hint>{read ? 'No read notifications.' : 'New notifications will appear here when there is activity that concerns you.'}</Hint> : null}
      <ul aria-label="Notifications" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((n) => (
          <li key={n.id} className="card" style={{ display: 'flex', alignItems: 'center', gap: 12, padding: 12, marginBottom: 8 }}>
            <Label variant={n.readIAN ? 'secondary' : 'accent'}>{REASONS[n.reason] ?? n.reason}</Label>
            <div style={{ flex: 1 }}>
              <Link to={`/work_packages/${idOf(n._links.resource)}`} style={{ fontWeight: n.readIAN ? 400 : 600 }}>
                #{idOf(n._links.resource)} {n._links.resource.title}
              </Link>
              <div style={{ fontSize: 12, color: 'var(--fgColor-muted)' }}>
                {n._links.project.title}
                {n._links.actor.title ? ` · by ${n._links.actor.title}` : ''} · {new Date(n.createdAt).toLocaleString()}
              </div>
            </div>
            <Button size="small" onClick={() => action.run(() => setNotificationRead(n.id, !n.readIAN))}>
              {n.readIAN ? 'Mark as unread' : 'Mark as read'}
            </Button>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
