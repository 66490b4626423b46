import { describeContractFuzz } from './cases.js';

describeContractFuzz('rest');
