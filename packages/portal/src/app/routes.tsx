import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { EmptyState } from '../components/empty-state.js';
import { PortalLink } from './links.js';
import type { PortalSession } from './session.js';
import { Shell } from './shell.js';

// Each page is its own chunk, fetched when first opened.
const OverviewPage = lazy(() => import('../pages/overview/overview-page.js'));
const EndpointsPage = lazy(() => import('../pages/endpoints/endpoints-page.js'));
const EndpointPage = lazy(() => import('../pages/endpoints/endpoint-page.js'));
const EndpointFormPage = lazy(() => import('../pages/endpoints/endpoint-form-page.js'));
const CatalogPage = lazy(() => import('../pages/catalog/catalog-page.js'));
const DeliveriesPage = lazy(() => import('../pages/deliveries/deliveries-page.js'));
const EventPage = lazy(() => import('../pages/deliveries/event-page.js'));
const SourcesPage = lazy(() => import('../pages/inbound/sources-page.js'));
const SourcePage = lazy(() => import('../pages/inbound/source-page.js'));
const RequestPage = lazy(() => import('../pages/inbound/request-page.js'));

const NotFound = () => (
  <EmptyState title="There is no page here">
    <PortalLink to="/">Go to the overview</PortalLink>
  </EmptyState>
);

export const PortalRoutes = ({ session }: { session: PortalSession }) => (
  <Routes>
    <Route element={<Shell session={session} />}>
      <Route index element={<OverviewPage />} />
      <Route path="endpoints" element={<EndpointsPage />} />
      <Route path="endpoints/new" element={<EndpointFormPage />} />
      <Route path="endpoints/:id" element={<EndpointPage />} />
      <Route path="endpoints/:id/edit" element={<EndpointFormPage />} />
      <Route path="catalog" element={<CatalogPage />} />
      <Route path="deliveries" element={<DeliveriesPage />} />
      <Route path="deliveries/:eventId" element={<EventPage />} />
      <Route path="inbound" element={<SourcesPage />} />
      <Route path="inbound/:sourceId" element={<SourcePage />} />
      <Route path="inbound/:sourceId/requests/:requestId" element={<RequestPage />} />
      <Route path="*" element={<NotFound />} />
    </Route>
  </Routes>
);
