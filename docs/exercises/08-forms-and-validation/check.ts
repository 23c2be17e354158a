// Exercise 8: a form that sets the display name: CSRF-protected, validated on the server, errors shown
// next to the field with the typed text kept, and 303 back to the account page after saving.
import { defineChecks, type CheckContext } from '../../../tools/course/check-kit.js';

const ROUTE = '/account/display-name';

/** Text as it must appear in HTML: escaped, so the browser shows it as text. */
function escaped(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The display name stored for a user (null when not set). */
async function storedName(c: CheckContext, username: string): Promise<unknown> {
  const [row] = await c.sql('SELECT display_name FROM users WHERE username = ?', [username]);
  return row?.display_name;
}

export default defineChecks([
  {
    name: 'the account page has a form that posts to /account/display-name, with a CSRF token',
    async run(c) {
      const { client } = await c.temporaryUser('form');
      const page = await client.get('/account');
      const form = /<form[^>]*action="\/account\/display-name"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
      if (!form) {
        return c.notYet(
          `The account page has no <form ... action="${ROUTE}">.`,
          'Add the form of step 3 to app/views/account.njk, then reload the page (or make restart SERVICE=app).',
        );
      }
      if (!/method="post"/i.test(form[0])) {
        c.notYet('The form does not say method="post": a browser would send it as a GET, with the name in the URL.', 'Write <form method="post" action="/account/display-name">.');
      }
      if (!/name="_csrf"/.test(form[1]!) || !/name="display_name"/.test(form[1]!)) {
        c.notYet(
          'The form needs two fields: the hidden _csrf token and an input named display_name.',
          'Inside the form: <input type="hidden" name="_csrf" value="{{ csrfToken() }}"> and <input name="display_name" …>.',
        );
      }
    },
  },
  {
    name: 'a valid name is saved: 303 to /account, trimmed in the database, shown (escaped) on the page',
    async run(c) {
      const { username, client } = await c.temporaryUser('save');
      const _csrf = await client.csrfFrom('/account');
      const wanted = `Ada <3 ${c.random('name')}`;
      const res = await client.post(ROUTE, { _csrf, display_name: `  ${wanted}  ` });
      if (res.status === 404 || res.status === 405) {
        c.notYet(
          `POST ${ROUTE} answered ${res.status}: the app has no such route.`,
          "Add router.post('/account/display-name', requireSignIn(), changeDisplayName) in app/src/routes/account.ts, then make restart SERVICE=app.",
        );
      }
      if (res.status !== 303 || res.headers.location !== '/account') {
        c.notYet(
          `Saving a valid display name answered ${res.status}${res.headers.location ? ` to ${res.headers.location}` : ''}, not 303 to /account.`,
          "After saving: ctx.redirect('/account'); ctx.status = 303;  (make logs SERVICE=app shows any error).",
        );
      }
      const stored = await storedName(c, username);
      if (stored !== wanted) {
        c.notYet(
          `We sent "  ${wanted}  "; the database has ${stored === null ? 'NULL' : `"${String(stored)}"`}.`,
          'Trim the value (.trim()) before saving it with UPDATE users SET display_name = ? WHERE id = ?.',
        );
      }
      const page = await client.get('/account');
      if (!page.body.includes(escaped(wanted))) {
        c.notYet(`The account page does not show the saved name "${wanted}" (escaped as ${escaped(wanted)}).`, 'Show {{ user.displayName }} in app/views/account.njk.');
      }
      if (!page.body.includes('flash-success')) {
        c.notYet('The account page after saving shows no success message.', "Before the redirect: addFlash(ctx, 'success', 'Your display name is saved.');");
      }
    },
  },
  {
    name: 'a name that breaks the rules gets 422, the reason next to the field, the typed text kept, nothing saved',
    async run(c) {
      const { username, client } = await c.temporaryUser('rules');
      const _csrf = await client.csrfFrom('/account');
      const long = c.random('long').padEnd(41, 'x');
      const cases = [
        { what: 'a name of 41 characters', value: long, kept: long },
        { what: 'a name of spaces only', value: '   ', kept: undefined },
        { what: 'a name with a line break in it', value: `two\nlines ${c.random('ctl')}`, kept: undefined },
      ];
      for (const { what, value, kept } of cases) {
        const res = await client.post(ROUTE, { _csrf, display_name: value });
        if (res.status !== 422) {
          c.notYet(
            `Sending ${what} answered ${res.status}, not 422.`,
            'Check the trimmed value before saving: 1 to 40 characters ([...text].length), no control characters (/\\p{Cc}/u); if not, set ctx.status = 422 and show the form again.',
          );
        }
        if (!/class="field-error"[^>]*>\s*[^<\s]/.test(res.body)) {
          c.notYet(
            `The page for ${what} shows no reason in a <p class="field-error">.`,
            'Pass errors: { display_name: problem } to the template and show {{ errors.display_name }} in <p class="field-error"> under the field.',
          );
        }
        if (kept !== undefined && !res.body.includes(kept)) {
          c.notYet(
            `After ${what}, the field is empty: the typed text was not kept.`,
            'Pass values: { display_name: what was typed } to the template and put {{ values.display_name }} in the value="" of the input.',
          );
        }
      }
      const stored = await storedName(c, username);
      if (stored !== null) {
        c.notYet(`A refused name was saved anyway: the database has "${String(stored)}".`, 'Return right after showing the error, before the UPDATE.');
      }
    },
  },
  {
    name: 'a POST without the CSRF token is refused with 403 and changes nothing',
    async run(c) {
      const { username, client } = await c.temporaryUser('csrf');
      const res = await client.post(ROUTE, { display_name: 'Not from this site' });
      if (res.status !== 403) {
        c.notYet(
          `A POST without the _csrf field answered ${res.status}.`,
          "Keep app.use(verifyCsrf()) in app/src/app.ts before the routers: it refuses every POST without the session's token.",
        );
      }
      if ((await storedName(c, username)) !== null) {
        c.notYet('The display name changed although the token was missing.', 'Every POST route must come after verifyCsrf() in app/src/app.ts.');
      }
    },
  },
]);
