import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { Loading } from '../components/loading.js';
import { PortalNavLink } from './links.js';
import { type PortalSession, useCanManage } from './session.js';
import { useTheme } from './theme.js';

const PAGES = [
  { to: '/', label: 'Overview', end: true },
  { to: '/endpoints', label: 'Endpoints' },
  { to: '/catalog', label: 'Event catalog' },
  { to: '/deliveries', label: 'Deliveries' },
  { to: '/inbound', label: 'Inbound' },
] as const;

const Brand = ({ session }: { session: PortalSession }) => (
  <div className="brand">
    {session.theme.logo_url && <img src={session.theme.logo_url} alt="" className="logo" />}
    <span className="brand-name">{session.theme.name ?? 'Webhooks'}</span>
  </div>
);

/** Header (brand, access, theme switch), navigation and the page, with a skip link first. */
export const Shell = ({ session }: { session: PortalSession }) => {
  const { mode, toggle } = useTheme(session.theme);
  const canManage = useCanManage();
  return (
    <>
      {/* A button, not <a href="#main">: under the page's <base href> that link would load the root. */}
      <button
        type="button"
        className="skip-link button"
        onClick={() => document.getElementById('main')?.focus()}
      >
        Skip to content
      </button>
      <header className="header">
        <Brand session={session} />
        {!canManage && <span className="badge badge-quiet">View only</span>}
        <button type="button" className="button button-quiet" onClick={toggle}>
          {mode === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </header>
      <nav className="nav" aria-label="Portal">
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <PortalNavLink to={page.to} end={'end' in page}>
                {page.label}
              </PortalNavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
};
