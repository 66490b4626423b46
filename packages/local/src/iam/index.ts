export { type Denial, type EngineKind, type IamFront, startIamFront } from './front.js';
export { allows } from './policy.js';
export { asFunction, currentFunction, PRINCIPAL_HEADER } from './principal.js';
export { LOCAL_AWS, type Permission } from './requests.js';
