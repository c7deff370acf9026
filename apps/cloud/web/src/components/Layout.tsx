import type { ReactNode } from 'react';
import { Button, Heading, NavList, PageLayout, Text } from '@primer/react';
import { AppsIcon, FileDirectoryIcon, KeyIcon, PeopleIcon, PersonIcon, ShieldLockIcon, TrashIcon, OrganizationIcon, LinkIcon, LawIcon } from '@primer/octicons-react';
import { useLocation, useNavigate } from 'react-router';
import { logout } from '../api/session.ts';
import { mayAccess, useSession, type Access } from '../session.tsx';

interface NavEntry {
  to: string;
  label: string;
  icon: typeof AppsIcon;
  access?: Access;
}

const FILES: NavEntry[] = [
  { to: '/apps/files', label: 'All files', icon: FileDirectoryIcon },
  { to: '/apps/files/trashbin', label: 'Deleted files', icon: TrashIcon },
];

const SETTINGS: NavEntry[] = [
  { to: '/settings/user/security', label: 'Security', icon: KeyIcon },
  { to: '/settings/users', label: 'Users', icon: PersonIcon, access: 'subadmin' },
  { to: '/settings/groups', label: 'Groups', icon: PeopleIcon, access: 'admin' },
  { to: '/settings/admin/groupfolders', label: 'Group folders', icon: OrganizationIcon, access: 'admin' },
  { to: '/settings/apps', label: 'Apps', icon: AppsIcon, access: 'admin' },
  { to: '/settings/admin/oauth2', label: 'OAuth 2.0 clients', icon: ShieldLockIcon, access: 'admin' },
  { to: '/settings/admin/openproject', label: 'OpenProject Integration', icon: LinkIcon, access: 'admin' },
  { to: '/settings/admin/terms_of_service', label: 'Terms of service', icon: LawIcon, access: 'admin' },
];

/** The frame of every signed-in page: top bar with the account, navigation pane, content. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { session } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const path = location.pathname.replace(/^\/index\.php/, '');
  const item = (entry: NavEntry) =>
    !session || !mayAccess(session, entry.access ?? 'user') ? null : (
      <NavList.Item
        key={entry.to}
        href={entry.to}
        aria-current={path === entry.to || (entry.to === '/apps/files' && path.startsWith('/apps/files/files')) ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          navigate(entry.to);
        }}
      >
        <NavList.LeadingVisual>
          <entry.icon />
        </NavList.LeadingVisual>
        {entry.label}
      </NavList.Item>
    );
  return (
    <div style={{ minHeight: '100vh', background: 'var(--bgColor-default)' }}>
      <header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          padding: '10px 24px',
          background: 'var(--bgColor-inset)',
          borderBottom: '1px solid var(--borderColor-default)',
        }}
      >
        <Text style={{ fontWeight: 600, fontSize: 16, flex: 1 }}>Tandem Cloud</Text>
        <Text aria-label="Signed in as">{session?.user.displayName ?? session?.user.id}</Text>
        <Button
          size="small"
          onClick={async () => {
            await logout().catch(() => undefined);
            // A fresh page load: no state of the old session survives, and the page being left does not
            // get to send us to /login?redirect_url=<itself>.
            window.location.assign('/login');
          }}
        >
          Log out
        </Button>
      </header>
      <PageLayout containerWidth="xlarge" padding="normal">
        <PageLayout.Pane position="start" width="small" aria-label="Navigation">
          <NavList aria-label="Files">
            {FILES.map(item)}
          </NavList>
          <NavList aria-label="Settings">
            <NavList.Group title="Settings">{SETTINGS.map(item)}</NavList.Group>
          </NavList>
        </PageLayout.Pane>
        <PageLayout.Content as="main">
          <Heading as="h1" style={{ fontSize: 24, marginBottom: 16 }}>
            {title}
          </Heading>
          {children}
        </PageLayout.Content>
      </PageLayout>
    </div>
  );
}
