import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { api, unwrap } from './api/client';
import { ErrorBoundary } from './components/error-boundary';
import { Loading } from './components/states';
import { homeFor, NAV_ITEMS, navFor, mayUse } from './navigation';
import { SignInPage } from './pages/sign-in';
import { SessionGate, useMe, useSignOut } from './session';
import { useFirmSlas } from './stage-slas';

// Each screen is its own chunk: a timekeeper never downloads the billing screens.
const MyTimePage = lazy(() => import('./pages/my-time'));
const BillingQueuePage = lazy(() => import('./pages/billing-queue'));
const InvoicePage = lazy(() => import('./pages/invoice'));
const ExceptionsPage = lazy(() => import('./pages/exceptions'));
const ReviewQueuePage = lazy(() => import('./pages/review-queue'));
const DashboardPage = lazy(() => import('./pages/dashboard'));
const GuidelinesPage = lazy(() => import('./pages/guidelines'));
const AdminPage = lazy(() => import('./pages/admin'));
const InboxPage = lazy(() => import('./pages/inbox'));

const SCREENS: Record<string, React.ComponentType> = {
  '/time': MyTimePage,
  '/review': ReviewQueuePage,
  '/billing': BillingQueuePage,
  '/exceptions': ExceptionsPage,
  '/dashboard': DashboardPage,
  '/guidelines': GuidelinesPage,
  '/admin': AdminPage,
};

/** The whole app: sign-in when nobody is signed in, else the layout with the role's screens. */
export function App() {
  return (
    <SessionGate signIn={<SignInPage />}>
      <Layout />
    </SessionGate>
  );
}

function Layout() {
  const me = useMe();
  // The SLA states every screen shows follow the firm's SLAs and holidays.
  useFirmSlas(me);
  const signOut = useSignOut();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Moving between screens puts keyboard and screen-reader focus on the new content.
  useEffect(() => main.current?.focus(), [location.pathname]);
  const items = navFor(me);
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Matterflow</span>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <InboxLink />
          <span>{me.email}</span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading what="the screen" />}>
            <Routes>
              <Route path="/" element={<Navigate to={homeFor(me)} replace />} />
              {NAV_ITEMS.filter((item) => mayUse(me, item)).map((item) => {
                const Screen = SCREENS[item.path]!;
                return <Route key={item.path} path={`${item.path}/*`} element={<Screen />} />;
              })}
              {mayUse(
                me,
                NAV_ITEMS.find((i) => i.path === '/billing')!,
              ) || me.roles.includes('approver') ? (
                <Route path="/invoices/:id" element={<InvoicePage />} />
              ) : null}
              <Route path="/inbox" element={<InboxPage />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** The inbox in the top bar with how many messages wait unread; checked every minute. */
function InboxLink() {
  const unread = useQuery({
    queryKey: ['inbox', 'unread-count'],
    queryFn: () => unwrap(api.GET('/api/v1/inbox/unread-count')),
    refetchInterval: 60_000,
  });
  const count = unread.data?.unread_count ?? 0;
  return (
    <NavLink to="/inbox" aria-label={count === 0 ? 'Inbox' : `Inbox, ${count} unread`}>
      Inbox{count > 0 && <span className="badge">{count}</span>}
    </NavLink>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not here</h1>
      <p>This page does not exist, or your role does not use it.</p>
      <NavLink to="/">Go to your home screen</NavLink>
    </section>
  );
}
