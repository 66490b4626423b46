/** What every signing secret starts with (Standard Webhooks' convention). */
export const SECRET_PREFIX = 'whsec_';
