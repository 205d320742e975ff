import { chromiumExecutable } from './support/browser.js';

/** Runs once before any test file: unpacks the npm-shipped Chromium (if needed) before files race for it. */
export default async function setup(): Promise<void> {
  await chromiumExecutable();
}
