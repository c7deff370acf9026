import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './session.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { FilesPage } from './pages/FilesPage.tsx';
import { TrashPage } from './pages/TrashPage.tsx';
import { FileIdRedirect } from './pages/FileIdRedirect.tsx';
import { PersonalPage } from './pages/PersonalPage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { GroupsPage } from './pages/admin/GroupsPage.tsx';
import { GroupFoldersPage } from './pages/admin/GroupFoldersPage.tsx';
import { AppsPage } from './pages/admin/AppsPage.tsx';
import { OAuthClientsPage } from './pages/admin/OAuthClientsPage.tsx';
import { OpenProjectIntegrationPage } from './pages/admin/OpenProjectIntegrationPage.tsx';
import { TermsOfServicePage } from './pages/admin/TermsOfServicePage.tsx';
import { TermsGate } from './pages/TermsGate.tsx';

// Signed-in pages wait until the user accepted the terms of service (when that app is on).
const user = (page: ReactNode) => <RequireSession><TermsGate>{page}</TermsGate></RequireSession>;
const admin = (page: ReactNode) => <RequireSession access="admin"><TermsGate>{page}</TermsGate></RequireSession>;
const subadmin = (page: ReactNode) => <RequireSession access="subadmin"><TermsGate>{page}</TermsGate></RequireSession>;

/**
 * Every page answers with and without Nextcloud's `/index.php` prefix, because links from other
 * software (OpenProject's "open in cloud", OAuth and login-flow redirects) use the prefixed form.
 */
const PAGES: { path: string; element: ReactNode }[] = [
  { path: 'login', element: <LoginPage /> },
  { path: 'apps/files', element: user(<FilesPage />) },
  { path: 'apps/files/files/:fileId', element: user(<FilesPage />) },
  { path: 'apps/files/trashbin', element: user(<TrashPage />) },
  { path: 'f/:fileId', element: user(<FileIdRedirect />) },
  { path: 'settings/user/security', element: user(<PersonalPage />) },
  { path: 'settings/users', element: subadmin(<UsersPage />) },
  { path: 'settings/groups', element: admin(<GroupsPage />) },
  { path: 'settings/admin/groupfolders', element: admin(<GroupFoldersPage />) },
  { path: 'settings/apps', element: admin(<AppsPage />) },
  { path: 'settings/admin/oauth2', element: admin(<OAuthClientsPage />) },
  { path: 'settings/admin/openproject', element: admin(<OpenProjectIntegrationPage />) },
  { path: 'settings/admin/terms_of_service', element: admin(<TermsOfServicePage />) },
];

export function App() {
  return (
    <Routes>
      {['/', '/index.php/'].map((prefix) =>
        PAGES.map((page) => <Route key={prefix + page.path} path={prefix + page.path} element={page.element} />),
      )}
      <Route path="*" element={<Navigate replace to="/apps/files" />} />
    </Routes>
  );
}
