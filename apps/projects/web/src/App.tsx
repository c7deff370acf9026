import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './session.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { ProjectsPage } from './pages/ProjectsPage.tsx';
import { ProjectOverviewPage } from './pages/ProjectOverviewPage.tsx';
import { WorkPackagesPage } from './pages/WorkPackagesPage.tsx';
import { WorkPackagePage, WorkPackageRedirect } from './pages/WorkPackagePage.tsx';
import { NewWorkPackagePage } from './pages/NewWorkPackagePage.tsx';
import { NotificationsPage } from './pages/NotificationsPage.tsx';
import { MembersPage } from './pages/MembersPage.tsx';
import { ModulesPage } from './pages/ModulesPage.tsx';
import { MyAccountPage } from './pages/MyAccountPage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { RolesPage } from './pages/admin/RolesPage.tsx';
import { OAuthApplicationsPage } from './pages/admin/OAuthApplicationsPage.tsx';
import { NewStoragePage, StoragesPage } from './pages/storages/StoragesPage.tsx';
import { StoragePage } from './pages/storages/StoragePage.tsx';
import { ProjectStoragesPage } from './pages/ProjectStoragesPage.tsx';

const user = (page: ReactNode) => <RequireSession>{page}</RequireSession>;
const admin = (page: ReactNode) => <RequireSession admin>{page}</RequireSession>;

/** OpenProject's page paths, so links and habits carry over. Keep in step with PAGE_ROUTES in `src/web/routes.ts`. */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/projects" element={user(<ProjectsPage />)} />
      <Route path="/projects/:project" element={user(<ProjectOverviewPage />)} />
      <Route path="/projects/:project/work_packages" element={user(<WorkPackagesPage />)} />
      <Route path="/projects/:project/work_packages/new" element={user(<NewWorkPackagePage />)} />
      <Route path="/projects/:project/work_packages/:id/:tab?" element={user(<WorkPackagePage />)} />
      <Route path="/projects/:project/settings/members" element={user(<MembersPage />)} />
      <Route path="/projects/:project/settings/modules" element={user(<ModulesPage />)} />
      <Route path="/projects/:project/settings/project_storages" element={user(<ProjectStoragesPage />)} />
      <Route path="/work_packages/:id" element={user(<WorkPackageRedirect />)} />
      <Route path="/notifications" element={user(<NotificationsPage />)} />
      <Route path="/my/access_tokens" element={user(<MyAccountPage />)} />
      <Route path="/admin/users" element={admin(<UsersPage />)} />
      <Route path="/admin/roles" element={admin(<RolesPage />)} />
      <Route path="/admin/oauth/applications" element={admin(<OAuthApplicationsPage />)} />
      <Route path="/admin/settings/storages" element={admin(<StoragesPage />)} />
      <Route path="/admin/settings/storages/new" element={admin(<NewStoragePage />)} />
      <Route path="/admin/settings/storages/:id" element={admin(<StoragePage />)} />
      <Route path="*" element={<Navigate replace to="/projects" />} />
    </Routes>
  );
}
