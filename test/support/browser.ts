/**
 * The headless Chromium the browser tests drive with playwright-core: Debian's when it is
 * installed, otherwise the build `@sparticuz/chromium` ships inside its npm package, so
 * `npm ci` alone brings a browser. test/global-setup.ts unpacks it once before the test files
 * run, so parallel files never race to unpack it.
 */
import { existsSync } from 'node:fs';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags both builds take; background networking off because this machine's network is closed. */
const COMMON_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Flags of @sparticuz/chromium meant for one-shot serverless runs, which break several pages per browser. */
const SERVERLESS_ONLY_ARGS = new Set(['--single-process', '--no-zygote', "--headless='shell'"]);

export async function chromiumExecutable(): Promise<{ path: string; args: string[] }> {
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, args: COMMON_ARGS };
  const path = await sparticuz.executablePath();
  const args = sparticuz.args.filter((arg) => !SERVERLESS_ONLY_ARGS.has(arg));
  return { path, args: [...new Set([...args, ...COMMON_ARGS])] };
}

export async function launchChromium(): Promise<Browser> {
  const { path, args } = await chromiumExecutable();
  return chromium.launch({ executablePath: path, args });
}
