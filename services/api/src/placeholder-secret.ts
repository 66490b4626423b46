import { ValidationError } from '@hookrelay/domain';

/**
 * What a secret copied from documentation or a template looks like rather than one a provider
 * issued: an ellipsis (`whsec_...`, as the docs write it), a `<placeholder>`, or a template
 * variable (`{{SECRET}}`, `${SECRET}`). No request would ever verify against it.
 */
const PLACEHOLDER = /\.\.\.|…|^<.*>$|\{\{|\$\{/;

/**
 * Refuses a secret that is obviously a placeholder with a 400 naming the field.
 *
 * @example refusePlaceholderSecret('whsec_...') // throws ValidationError
 */
export const refusePlaceholderSecret = (secret: string | undefined): void => {
  if (secret === undefined || !PLACEHOLDER.test(secret)) return;
  throw new ValidationError(
    'The secret looks like a placeholder (as in the docs), not the one your provider issued: paste the real one.',
    [{ field: 'secret', message: 'is a placeholder, not a signing secret' }],
  );
};
