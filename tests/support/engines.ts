/** One DynamoDB Local and one fauxqs for a whole test run (the jest global setup). */
export { startEngines } from '@hookrelay/local';
