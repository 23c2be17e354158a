// The pages in a real browser (Debian's chromium driven by playwright-core), through nginx:
// the forms work under the Content-Security-Policy, and the screenshots land in tests/artifacts/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifactsDir as artifacts, launchChromium, noBrowser, type Browser, type Page } from '../../tools/testing/chromium.js';
import { GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { stack, url: plainUrl } = currentTestStack();

// Over plain HTTP, and over HTTPS with the browser trusting the stack's local CA (as make ca tells a
// learner to), never ignoring a certificate error.
for (const [scheme, url] of [
  ['HTTP', plainUrl],
  ['HTTPS', `https://localhost:${stack.settings.ports.https}`],
] as const) {
  describe(`pages in a real browser, over ${scheme}`, { skip: noBrowser }, () => {
    let browser: Browser;
    let page: Page;
    const cspErrors: string[] = [];

    before(async () => {
      browser = await launchChromium(scheme === 'HTTPS' ? { trustCa: stack.caFile } : {});
      page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone-sized window
      page.on('console', (msg) => {
        if (/Content Security Policy|Refused to/.test(msg.text())) cspErrors.push(msg.text());
      });
    });

    after(async () => {
      await browser?.close();
    });

    const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}${scheme === 'HTTPS' ? '-https' : ''}.png`), fullPage: true });

    it('registers, sees the account page, signs out and in again', async () => {
      const name = uniqueName('browser');
      await page.goto(`${url}/`);
      assert.match(await page.locator('main').innerText(), /not signed in/);
      await shot('home');

      await page.getByRole('link', { name: 'Register' }).first().click();
      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByLabel(/Repeat password/i).fill('short');
      // The browser's own check (minlength) would stop a short password; submit past it to see the server's answer.
      await page.locator('form[action="/register"]').evaluate((form: HTMLFormElement) => form.setAttribute('novalidate', ''));
      await page.getByRole('button', { name: /register|create/i }).click();
      assert.match(await page.locator('main').innerText(), /at least 8 characters/);
      assert.equal(await page.getByLabel('Username').inputValue(), name, 'the form keeps the username');
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'never the password');
      await shot('register-error');

      await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
      await page.getByLabel(/Repeat password/i).fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: /register|create/i }).click();
      await page.waitForURL(`${url}/account`);
      assert.match(await page.locator('main').innerText(), new RegExp(name));
      await shot('account');

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.waitForURL(`${url}/`);
      assert.match(await page.locator('body').innerText(), /signed out/);

      await page.getByRole('link', { name: 'Sign in' }).first().click();
      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Password').fill('wrong-password-1');
      await page.getByRole('button', { name: 'Sign in' }).last().click();
      assert.match(await page.locator('main').innerText(), /Wrong username or password/);
      await shot('login-error');
      await page.getByLabel('Password').fill(GOOD_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).last().click();
      await page.waitForURL(`${url}/account`);

      await page.goto(`${url}/debug/request`);
      await shot('debug-request');
      assert.deepEqual(cspErrors, [], 'no resource was blocked by the Content-Security-Policy');
    });

    it('loads the stylesheet from nginx', async () => {
      await page.goto(`${url}/login`);
      const background = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.notEqual(background, '', 'site.css applied');
      // Fetched by the page itself (the browser's own TLS and trust store, not the test's).
      const status = await page.evaluate(async (address) => (await fetch(address)).status, `${url}/static/css/site.css`);
      assert.equal(status, 200);
    });
  });
}
