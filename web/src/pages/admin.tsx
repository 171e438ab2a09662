import { lazy, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { Loading } from '../components/states';

// Each admin area is its own small screen under /admin/<area>.
const AREAS = [
  { path: 'users', label: 'Users and roles', Screen: lazy(() => import('./admin/users')) },
  { path: 'walls', label: 'Ethical walls', Screen: lazy(() => import('./admin/walls')) },
  { path: 'routing', label: 'Routing rules', Screen: lazy(() => import('./admin/routing')) },
  { path: 'slas', label: 'SLAs and holidays', Screen: lazy(() => import('./admin/slas')) },
  { path: 'reasons', label: 'Reason codes', Screen: lazy(() => import('./admin/reasons')) },
  { path: 'tokens', label: 'API tokens', Screen: lazy(() => import('./admin/tokens')) },
  { path: 'webhooks', label: 'Webhooks', Screen: lazy(() => import('./admin/webhooks')) },
] as const;

/** Administration: users, walls, routing, SLAs, reason codes, API tokens and webhooks. */
export default function AdminPage() {
  return (
    <section>
      <h1>Admin</h1>
      <nav aria-label="Admin" className="subnav">
        <ul>
          {AREAS.map((area) => (
            <li key={area.path}>
              <NavLink to={`/admin/${area.path}`}>{area.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Loading what="the page" />}>
        <Routes>
          <Route index element={<Navigate to="users" replace />} />
          {AREAS.map(({ path, Screen }) => (
            <Route key={path} path={path} element={<Screen />} />
          ))}
          <Route path="*" element={<p>This admin page does not exist.</p>} />
        </Routes>
      </Suspense>
    </section>
  );
}
