import { certificateStatus, maskUrl, notifyTenant, type Webhook } from '@hookrelay/domain';
import type { NoticePorts } from './tell-tenant.js';

export type CertificateNoticeDeps = NoticePorts<'claimCertificateNotice'>;

/**
 * Tells the tenant, once per certificate, that the client certificate its endpoint presents
 * expires within 30 days (or has expired): `hookrelay.endpoint.certificate_expiring`, to its
 * webhooks that subscribe. Read off the webhook item the attempt read anyway, so a webhook whose
 * certificate is fine, or whose tenant was told already, costs nothing; the mark is made before
 * anyone is looked for, so a tenant with no subscriber costs one write per certificate.
 *
 * @example await noticeExpiringCertificate(notices, webhook, Date.now());
 */
export const noticeExpiringCertificate = async (
  deps: CertificateNoticeDeps,
  webhook: Pick<Webhook, 'tenant_id' | 'id' | 'url' | 'tls_client_certificate' | 'certificate_notified'>,
  nowMs: number,
): Promise<void> => {
  const certificate = webhook.tls_client_certificate;
  if (!certificate || webhook.certificate_notified === certificate.fingerprint_sha256) return;
  const status = certificateStatus(certificate, nowMs);
  if (status === 'valid') return;
  const fingerprint = certificate.fingerprint_sha256;
  if (!(await deps.webhooks.claimCertificateNotice(webhook.tenant_id, webhook.id, fingerprint))) return;
  await notifyTenant(deps, webhook.tenant_id, {
    type: 'hookrelay.endpoint.certificate_expiring',
    webhook_id: webhook.id,
    occasion: `${webhook.id}:${fingerprint}`,
    data: {
      webhook_id: webhook.id,
      url: maskUrl(webhook.url),
      subject: certificate.subject,
      issuer: certificate.issuer,
      fingerprint_sha256: fingerprint,
      not_after: certificate.not_after,
      status,
    },
  });
};
