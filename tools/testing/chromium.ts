// A real browser for the page tests: Debian's chromium, driven by playwright-core (never a browser
// downloaded by a test tool). Screenshots go to tests/artifacts/ (git-ignored; docs/ shows some).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoPath } from '../lib/repo.js';

export type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = repoPath('tests/artifacts');

/** Why the browser tests cannot run here (no chromium), or false. On CI a missing browser is a failure, not a skip. */
export const noBrowser: string | false = !existsSync(CHROMIUM) && !process.env.CI && `no browser at ${CHROMIUM} (apt-get install chromium)`;

/**
 * `trustCa`: a CA certificate file the browser trusts, as a learner adds the stack's local CA: in the
 * NSS database Chromium reads on Linux ($HOME/.pki/nssdb), made with certutil (libnss3-tools) in a
 * throwaway HOME of the browser's own. Certificate errors are never ignored.
 */
export function launchChromium({ trustCa }: { trustCa?: string } = {}): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  let env: Record<string, string> | undefined;
  if (trustCa) {
    const home = mkdtempSync(path.join(os.tmpdir(), 'stacklab-chromium-home-'));
    const nssdb = path.join(home, '.pki/nssdb');
    mkdirSync(nssdb, { recursive: true });
    execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
    execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'stacklab-local-ca', '-i', trustCa]);
    env = { ...(process.env as Record<string, string>), HOME: home };
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    env,
    // Flags for a headless browser in a closed network, as root in CI.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
