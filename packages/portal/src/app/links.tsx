import { Link, type LinkProps, NavLink, type NavLinkProps } from 'react-router';
import { sessionQuery } from './placement.js';

// Read once, as the page loads: the links below carry it on, whatever the address is later.
const session = sessionQuery();

/** An in-app path with the link's `?session=` kept (the platform reads it on a reload). */
export const withSession = (to: string): string => {
  if (!session) return to;
  const [path = '', query = ''] = to.split('?', 2);
  const params = new URLSearchParams(query);
  params.set('session', session);
  return `${path}?${params}`;
};

export const PortalLink = ({ to, ...rest }: Omit<LinkProps, 'to'> & { to: string }) => (
  <Link to={withSession(to)} {...rest} />
);

export const PortalNavLink = ({ to, ...rest }: Omit<NavLinkProps, 'to'> & { to: string }) => (
  <NavLink to={withSession(to)} {...rest} />
);
