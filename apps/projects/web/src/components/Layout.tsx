import type { ReactNode } from 'react';
import { Button, CounterLabel, Heading, NavList, PageLayout, Text } from '@primer/react';
import { BellIcon, GearIcon, HomeIcon, KeyIcon, PeopleIcon, PersonIcon, ProjectIcon, ShieldLockIcon, TasklistIcon, AppsIcon, FileDirectoryIcon } from '@primer/octicons-react';
import { useLocation, useNavigate } from 'react-router';
import { RouterNavItem } from '@tandem/web-kit/RouterNavItem.tsx';
import { useLoader } from '@tandem/web-kit/hooks.ts';
import { logout } from '../api/session.ts';
import { countUnread } from '../api/resources.ts';
import type { Project } from '../api/resources.ts';
import { useSession } from '../session.tsx';

interface NavEntry {
  to: string;
  label: string;
  icon: typeof HomeIcon;
}

const GLOBAL: NavEntry[] = [
  { to: '/projects', label: 'Projects', icon: ProjectIcon },
  { to: '/notifications', label: 'Notifications', icon: BellIcon },
  { to: '/my/access_tokens', label: 'My account', icon: KeyIcon },
];

const ADMIN: NavEntry[] = [
  { to: '/admin/users', label: 'Users', icon: PersonIcon },
  { to: '/admin/roles', label: 'Roles and permissions', icon: ShieldLockIcon },
  { to: '/admin/oauth/applications', label: 'OAuth applications', icon: AppsIcon },
  { to: '/admin/settings/storages', label: 'External file storages', icon: FileDirectoryIcon },
];

const projectMenu = (project: Project): NavEntry[] => [
  { to: `/projects/${project.identifier}`, label: 'Overview', icon: HomeIcon },
  { to: `/projects/${project.identifier}/work_packages`, label: 'Work packages', icon: TasklistIcon },
  { to: `/projects/${project.identifier}/settings/members`, label: 'Members', icon: PeopleIcon },
  { to: `/projects/${project.identifier}/settings/modules`, label: 'Modules', icon: GearIcon },
  { to: `/projects/${project.identifier}/settings/project_storages`, label: 'Files', icon: FileDirectoryIcon },
];

/** The frame of every signed-in page: top bar with the account, the project's or the global menu, content. */
export function Layout({
  title,
  project,
  actions,
  notificationsChanged,
  children,
}: {
  title: string;
  project?: Project;
  actions?: ReactNode;
  /** Changes when the page marks notifications (un)read, so the unread count follows. */
  notificationsChanged?: unknown;
  children: ReactNode;
}) {
  const { session } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // Counted again on every page, and whenever the notification centre reports a change.
  const unread = useLoader(() => countUnread().catch(() => 0), [pathname, notificationsChanged]);
  const item = (entry: NavEntry) => (
    <RouterNavItem
      key={entry.to}
      to={entry.to}
      label={entry.label}
      icon={entry.icon}
      current={pathname === entry.to || (entry.to.endsWith('/work_packages') && pathname.startsWith(entry.to))}
      trailing={entry.to === '/notifications' && unread.data ? <CounterLabel aria-label={`${unread.data} unread`}>{unread.data}</CounterLabel> : undefined}
    />
  );
  return (
    <div style={{ minHeight: '100vh', background: 'var(--bgColor-default)' }}>
      <header className="top-bar">
        <a href="/projects" onClick={(e) => (e.preventDefault(), navigate('/projects'))} className="brand">
          Tandem Projects
        </a>
        <span style={{ flex: 1 }} />
        <Text aria-label="Signed in as">{session?.user.name}</Text>
        <Button
          size="small"
          onClick={async () => {
            await logout().catch(() => undefined);
            // A fresh page load, so nothing of the old session survives.
            window.location.assign('/login');
          }}
        >
          Sign out
        </Button>
      </header>
      <PageLayout containerWidth="xlarge" padding="normal">
        <PageLayout.Pane position="start" width="small" aria-label="Navigation">
          {project ? (
            <NavList aria-label="Project menu">
              <NavList.Group title={project.name}>{projectMenu(project).map(item)}</NavList.Group>
            </NavList>
          ) : null}
          <NavList aria-label="Main menu">{GLOBAL.map(item)}</NavList>
          {session?.isAdmin ? (
            <NavList aria-label="Administration">
              <NavList.Group title="Administration">{ADMIN.map(item)}</NavList.Group>
            </NavList>
          ) : null}
        </PageLayout.Pane>
        <PageLayout.Content as="main">
          <div style={{ display: 'flex', alignItems: 'center', gap: 16, marginBottom: 16 }}>
            <Heading as="h1" style={{ fontSize: 24, flex: 1 }}>
              {title}
            </Heading>
            {actions}
          </div>
          {children}
        </PageLayout.Content>
      </PageLayout>
    </div>
  );
}
