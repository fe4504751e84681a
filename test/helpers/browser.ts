import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (never a downloaded browser); `.ci/run` installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where browser tests leave screenshots (not in git). */
export const SHOTS = 'test-results/screenshots';
/** Browser tests skip without chromium on a developer's machine, and fail without it in CI. */
export const browserAvailable = existsSync(CHROMIUM);

/** A headless chromium for a test file. */
export async function launchChromium(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`no browser at ${CHROMIUM}: .ci/run installs Debian's chromium`);
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
