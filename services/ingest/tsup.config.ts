import { lambdaBundle } from '../../tsup.lambda';

export default lambdaBundle();
