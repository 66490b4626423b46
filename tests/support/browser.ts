import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium for the browser tests: the npm `@sparticuz/chromium` build (unpacked into
 * the temp dir on first use, with the flags it needs), or the machine's own when that fails.
 */
export const launchBrowser = async (): Promise<Browser> => {
  try {
    const executablePath = await chromium.executablePath();
    return await playwright.launch({ executablePath, args: chromium.args, headless: true });
  } catch (error) {
    if (!existsSync(SYSTEM_CHROMIUM)) throw error;
    return playwright.launch({ executablePath: SYSTEM_CHROMIUM, args: ['--no-sandbox'], headless: true });
  }
};
