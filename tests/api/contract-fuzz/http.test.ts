import { describeContractFuzz } from './cases.js';

describeContractFuzz('http');
