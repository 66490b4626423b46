// The ids every example shares, so the examples tell one story: acme's invoice was paid.

export const EXAMPLE = {
  tenant: 'acme',
  eventId: 'evt_01JD6Z9M3QH4T2W7X9RZ5K8B1C',
  webhookId: 'wh_01JD6YQ2B8N5C4R7T0VXKMZ3PA',
  otherWebhookId: 'wh_01JD6YV7F1G9H2J3K4M5N6P7QR',
  keyId: 'key_01JD6XW4E2D1C0B9A8Z7Y6X5W4',
  sourceId: 'src_01JD6Z2A7B8C9D0E1F2G3H4J5K',
  inboundId: 'iwh_01JD6ZC3D4E5F6G7H8J9K0M1N2',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  createdAt: '2026-11-30T09:15:02.481Z',
  deliveredAt: '2026-11-30T09:15:02.913Z',
  cursor: 'eyJrIjoiRVZUIzAxSkQ2WjlNM1FINFQyVzdYOVJaNUs4QjFDIn0.kX2f0vJ9bqgW3mR8sTa1Yw',
} as const;
