import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Debian's Chromium; playwright-core drives it (no browser download is possible offline). */
export const CHROMIUM = '/usr/bin/chromium';

/** Where page tests save their screenshots. */
export const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

/** Without these, Chromium keeps dialling Google's services, which this network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe` when Chromium is installed, else `describe.skip` with a line saying why. */
export function describeWithChromium(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(
    `Chromium not installed: skipping ${what} (${CHROMIUM} is missing; install Debian's "chromium" package to run them).`,
  );
  return describe.skip;
}
