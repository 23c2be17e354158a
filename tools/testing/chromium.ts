// A real browser for the page tests: Debian's chromium, driven by playwright-core (never a browser
// downloaded by a test tool). Screenshots go to tests/artifacts/ (git-ignored; docs/ shows some).
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { repoPath } from '../lib/repo.js';

export type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = repoPath('tests/artifacts');

/** Why the browser tests cannot run here (no chromium), or false. On CI a missing browser is a failure, not a skip. */
export const noBrowser: string | false = !existsSync(CHROMIUM) && !process.env.CI && `no browser at ${CHROMIUM} (apt-get install chromium)`;

export function launchChromium(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // Flags for a headless browser in a closed network, as root in CI.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
