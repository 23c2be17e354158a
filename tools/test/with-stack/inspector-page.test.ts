// The inspector's page in a real browser (Debian's chromium, driven by playwright-core): register and
// sign in through the real pages, then find that sign-in on the inspector page and open it.
// Screenshots land in tests/artifacts/ (docs/inspector.md shows them).
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifactsDir as artifacts, launchChromium, noBrowser, type Browser, type Page } from '../../testing/chromium.js';
import { startInspectorServer, type InspectorServer } from '../../inspector/inspector-server.js';
import { GOOD_PASSWORD, uniqueName } from '../../lib/http-client.js';
import { currentTestStack } from '../../testing/test-stack.js';

const { url, stack } = currentTestStack();

describe('the inspector page in a real browser', { skip: noBrowser }, () => {
  let browser: Browser;
  let page: Page;
  let inspector: InspectorServer;

  before(async () => {
    inspector = await startInspectorServer(stack, 500, 0); // port 0: any free port
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await inspector?.close();
  });

  it('listens on 127.0.0.1 only and refuses other host names', async () => {
    assert.match(inspector.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      http.get(`${inspector.url}/api/requests`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 421);
  });

  it('finds a sign-in made through the real pages, and shows it hop by hop', async () => {
    const name = uniqueName('inspectweb');
    await page.goto(`${url}/register`);
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel(/Repeat password/i).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: /register|create/i }).click();
    await page.waitForURL(`${url}/account`);
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(`${url}/`);
    await page.goto(`${url}/login`);
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Password').fill(GOOD_PASSWORD);
    const [signIn] = await Promise.all([
      page.waitForResponse((res) => res.url() === `${url}/login` && res.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).last().click(),
    ]);
    const id = (await signIn.headerValue('x-request-id')) ?? '';
    assert.match(id, /^[0-9a-f]{32}$/);
    await page.waitForURL(`${url}/account`);

    await page.goto(inspector.url);
    await page.getByLabel('Path contains').fill('/login');
    const row = page.locator(`#list tbody tr[data-id="${id}"]`);
    await row.waitFor({ timeout: 5000 });
    const listed = await page.locator('#list tbody').innerText();
    assert.doesNotMatch(listed, /\/api\/requests|inspector\.js/, 'the inspector never lists its own requests');
    await page.screenshot({ path: path.join(artifacts, 'inspector.png') });

    await row.click();
    await page.locator('#detail').waitFor();
    await page.locator('#detail-title', { hasText: id }).waitFor();
    const detail = await page.locator('#detail').innerText();
    assert.match(detail, /browser → nginx/);
    assert.match(detail, /nginx → app/);
    assert.match(detail, /X-Forwarded-For/);
    assert.match(detail, /password\s+\[redacted\]/);
    assert.match(detail, /stacklab\.sid=\[redacted\]/);
    assert.ok(!detail.includes(GOOD_PASSWORD), 'no password on the page');
    assert.equal(await page.locator('#pane-app tr.change-added').count() >= 3, true, 'added headers are highlighted');
    // The third hop: the sign-in's SQL statements and its one bcrypt compare, and never the hash.
    const database = await page.locator('#hop-database').innerText();
    assert.match(database, /app → database/);
    assert.match(database, /2 SQL statements/);
    assert.match(database, /SELECT id, username, password_hash, created_at FROM users WHERE username = \?/);
    assert.match(database, /INSERT INTO sessions/);
    assert.match(database, /bcrypt: compare \(cost \d+\)/);
    const [user] = await stack.sql('SELECT password_hash FROM users WHERE username = ?', [name]);
    const hash = String(user?.password_hash);
    assert.match(hash, /^\$2[aby]\$/);
    assert.ok(!(await page.content()).includes(hash.slice(7)), 'no part of the hash on the page');
    const parts = await page.locator('#timing-bar span').evaluateAll((spans) => spans.map((s) => s.className));
    assert.deepEqual(parts, ['seg-nginx', 'seg-app', 'seg-database', 'seg-bcrypt', 'seg-rest'], 'the bar: nginx, app code, database, bcrypt, the rest');
    assert.match(await page.locator('#timing-legend').innerText(), /bcrypt: 1 call/);
    assert.match(await page.locator('#curl').innerText(), /^curl -i 'http:\/\/127\.0\.0\.1:\d+\/login'/);
    await page.locator('#detail').screenshot({ path: path.join(artifacts, 'inspector-detail.png') });
    await page.screenshot({ path: path.join(artifacts, 'inspector-full.png'), fullPage: true });
  });
});
