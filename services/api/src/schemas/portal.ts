import { PORTAL_SESSION_DEFAULT_TTL_S, PORTAL_SESSION_MAX_TTL_S } from '@hookrelay/domain';
import { timestamp } from './common.js';

const capabilities = {
  type: 'array',
  items: { type: 'string', enum: ['read', 'manage'] },
  minItems: 1,
  uniqueItems: true,
  contains: { const: 'read' },
  description:
    '`["read"]` sees everything of the tenant and changes nothing; `["read", "manage"]` (the default) ' +
    'also creates, edits, deletes, rotates, tests, retries, resends and replays. The API enforces it.',
} as const;

const portalTheme = {
  type: 'object',
  additionalProperties: false,
  description: 'How the portal looks for this session; every field optional.',
  properties: {
    mode: {
      type: 'string',
      enum: ['light', 'dark'],
      description: 'Light or dark; absent, the viewer’s system setting decides.',
    },
    accent: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', description: 'Accent colour, `#rrggbb`.' },
    logo_url: {
      type: 'string',
      maxLength: 8192,
      pattern: '^(https://[^\\s"\'<>]+|data:image/(png|jpeg|webp|svg\\+xml);base64,[A-Za-z0-9+/=]+)$',
      description: 'The logo shown in the header: an https URL, or a base64 `data:image/…` URL.',
    },
    name: { type: 'string', minLength: 1, maxLength: 64, description: 'The name shown beside the logo.' },
  },
} as const;

const frameOrigins = {
  type: 'array',
  maxItems: 10,
  uniqueItems: true,
  items: {
    type: 'string',
    maxLength: 255,
    pattern: '^(https://[A-Za-z0-9.-]+|http://(localhost|127\\.0\\.0\\.1))(:[0-9]{1,5})?$',
    description: 'An origin: `https://host[:port]` (or `http://localhost[:port]` for development).',
  },
  description:
    'The origins whose pages may show the portal in an iframe (its `Content-Security-Policy: ' +
    'frame-ancestors`); none, and the portal cannot be framed.',
} as const;

export const createPortalSessionBody = {
  type: 'object',
  additionalProperties: false,
  description: 'A portal link for the calling tenant.',
  properties: {
    ttl_seconds: {
      type: 'integer',
      minimum: 60,
      maximum: PORTAL_SESSION_MAX_TTL_S,
      default: PORTAL_SESSION_DEFAULT_TTL_S,
      description: `How long the link works, in seconds: 60 to ${PORTAL_SESSION_MAX_TTL_S} (7 days); default ${PORTAL_SESSION_DEFAULT_TTL_S}.`,
    },
    capabilities,
    theme: portalTheme,
    frame_origins: frameOrigins,
  },
} as const;

const sessionFields = {
  session_id: { type: 'string', description: 'The session’s id (`ps_…`), to end it.' },
  capabilities,
  expires_at: { ...timestamp, description: 'When the link stops working.' },
  theme: portalTheme,
  frame_origins: frameOrigins,
} as const;

export const portalSessionCreated = {
  type: 'object',
  required: ['session_id', 'url', 'expires_at', 'capabilities', 'theme', 'frame_origins'],
  description: 'The new session and its link, shown this once.',
  properties: {
    ...sessionFields,
    url: {
      type: 'string',
      description:
        'The link that opens the portal for this tenant: hand it to the person (or an iframe) now. Its ' +
        'token is in the fragment, which browsers never send to a server or in a Referer.',
    },
  },
} as const;

export const portalSessionView = {
  type: 'object',
  required: ['session_id', 'tenant_id', 'capabilities', 'expires_at', 'theme', 'frame_origins'],
  description: 'The portal session making the call.',
  properties: {
    ...sessionFields,
    tenant_id: { type: 'string', description: 'The tenant the session shows.' },
  },
} as const;

export const portalPageQuery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    session: {
      type: 'string',
      maxLength: 64,
      description: 'The session the page is opened for (frame-ancestors).',
    },
  },
} as const;
