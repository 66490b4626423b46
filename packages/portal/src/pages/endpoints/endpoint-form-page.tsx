import { useNavigate, useParams } from 'react-router';
import { PortalLink, withSession } from '../../app/links.js';
import { useCanManage } from '../../app/session.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Loading } from '../../components/loading.js';
import { PageHeader } from '../../components/page-header.js';
import { SecretOnce } from '../../components/secret-once.js';
import { EndpointForm } from './endpoint-form.js';
import { useCreateWebhook, useUpdateWebhook, useWebhook } from './endpoint-queries.js';
import { bodyOf } from './form-state.js';

const ViewOnly = () => (
  <p className="notice">
    This portal link can only read: ask for a link that can manage to change endpoints.
  </p>
);

const NewEndpoint = () => {
  const create = useCreateWebhook();
  if (create.data) {
    const { webhook } = create.data;
    return (
      <>
        <PageHeader title="Endpoint created" />
        {webhook.secret && (
          <SecretOnce
            secret={webhook.secret}
            note="Your receiver checks each delivery's signature with it."
          />
        )}
        {create.data.challenge_result && (
          <p className="notice" role="status">
            {create.data.challenge_result.verified
              ? 'The endpoint answered its ownership challenge: it is verified.'
              : 'The endpoint did not answer its ownership challenge: it gets nothing until it does. Verify it again from its page.'}
          </p>
        )}
        <PortalLink to={`/endpoints/${webhook.id}`} className="button button-primary">
          Go to the endpoint
        </PortalLink>
      </>
    );
  }
  return (
    <>
      <PageHeader title="New endpoint" />
      <EndpointForm
        submitLabel="Create endpoint"
        pending={create.isPending}
        error={create.error}
        onSubmit={(state) => {
          const { rate_limit, description, filter, ...body } = bodyOf(state);
          create.mutate({
            ...body,
            ...(description ? { description } : {}),
            ...(rate_limit === null ? {} : { rate_limit }),
            ...(filter === null ? {} : { filter }),
          });
        }}
      >
        <PortalLink to="/endpoints">Cancel</PortalLink>
      </EndpointForm>
    </>
  );
};

const EditEndpoint = ({ id }: { id: string }) => {
  const webhook = useWebhook(id);
  const update = useUpdateWebhook(id);
  const navigate = useNavigate();
  if (webhook.isPending) return <Loading what="Reading the endpoint" />;
  if (webhook.isError) return <ErrorNotice error={webhook.error} />;
  return (
    <>
      <PageHeader title="Edit endpoint" />
      <EndpointForm
        webhook={webhook.data}
        submitLabel="Save changes"
        pending={update.isPending}
        error={update.error}
        onSubmit={(state) => {
          const { active: _unchanged, ...body } = bodyOf(state);
          update.mutate(body, { onSuccess: () => navigate(withSession(`/endpoints/${id}`)) });
        }}
      >
        <PortalLink to={`/endpoints/${id}`}>Cancel</PortalLink>
      </EndpointForm>
    </>
  );
};

const EndpointFormPage = () => {
  const { id } = useParams();
  const canManage = useCanManage();
  if (!canManage) return <ViewOnly />;
  return id ? <EditEndpoint id={id} /> : <NewEndpoint />;
};

export default EndpointFormPage;
