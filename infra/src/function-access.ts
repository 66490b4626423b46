/**
 * What each function may do is declared once, in `@hookrelay/definitions/access`: the stacks
 * write each role's policy from it, and the local platform checks every call against it.
 */
export {
  accessStatements,
  FUNCTION_ACCESS,
  type FunctionAccess,
  PARAMETERS,
  type ParameterId,
  type PolicyStatement,
  type QueueGrant,
  SERVICES,
  type ServiceName,
  type TableGrant,
} from '@hookrelay/definitions/access';
