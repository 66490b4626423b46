export {
  type Denial,
  type EngineKind,
  type IamFront,
  type IamFronts,
  startIamFront,
  startIamFronts,
} from './front.js';
export { allows } from './policy.js';
export { asFunction, currentFunction, invokedAs, PRINCIPAL_HEADER } from './principal.js';
export { LOCAL_AWS, type Permission } from './requests.js';
