import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './index.js';

/** Debian's Chromium as every browser test here runs it (no sandbox in containers, no GPU, no network chatter). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}
