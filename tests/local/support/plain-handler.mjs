// A handler as a Lambda bundle is: plain JavaScript, nothing to transpile.
import { threadId } from 'node:worker_threads';

export const handler = async () => ({ thread: threadId, bundle: true, execArgv: process.execArgv });
