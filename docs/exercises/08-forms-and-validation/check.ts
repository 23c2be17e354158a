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
    name: 'the rules, on a table of names: 1 to 40 characters (as the database counts them, after NFC), no control characters',
    async run(c) {
      const { username, client } = await c.temporaryUser('rules');
      const _csrf = await client.csrfFrom('/account');
      const post = (display_name: string) => client.post(ROUTE, { _csrf, display_name });
      const COUNT = 'Count characters as the database does: [...text].length (text.length counts UTF-16 units, and an emoji is two).';
      const NFC = "Normalize first: text.normalize('NFC'), then trim, then count.";
      const CONTROL = 'Refuse every control character: /\\p{Cc}/u finds them all (line breaks and tabs are only three of 65).';

      // Refused: 422, the reason next to the field, nothing saved.
      const refused = [
        { what: 'a name of 41 characters', value: c.random('long').padEnd(41, 'x'), next: 'Refuse more than 40 characters.', kept: true },
        { what: 'a name of 41 emoji', value: '🙂'.repeat(41), next: COUNT },
        { what: 'a name of spaces only', value: '   ', next: 'Trim the name, then refuse an empty one.' },
        { what: 'a name with a line break', value: 'two\nlines', next: CONTROL },
        { what: 'a name with a tab', value: 'tab\there', next: CONTROL },
        { what: 'a name with terminal escape codes (ESC [31m … BEL)', value: 'evil\u001b[31mred\u0007', next: CONTROL },
        { what: 'a name with a NUL character', value: 'nul\u0000name', next: CONTROL },
        { what: 'a name with a DEL character', value: 'del\u007fname', next: CONTROL },
        {
          what: '21 letters with a combining accent each (x + U+0301: 42 characters as the database counts them)',
          value: 'x\u0301'.repeat(21),
          next: `${COUNT} Accents that have no letter of their own count as characters too: VARCHAR(40) counts code points.`,
        },
      ];
      for (const { what, value, next, kept } of refused) {
        const res = await post(value);
        if (res.status !== 422) c.notYet(`Sending ${what} answered ${res.status}, not 422.`, next);
        if (!/class="field-error"[^>]*>\s*[^<\s]/.test(res.body)) {
          c.notYet(
            `The page for ${what} shows no reason in a <p class="field-error">.`,
            'Pass errors: { display_name: problem } to the template and show {{ errors.display_name }} in <p class="field-error"> under the field.',
          );
        }
        if (kept && !res.body.includes(value)) {
          c.notYet(
            `After ${what}, the field is empty: the typed text was not kept.`,
            'Pass values: { display_name: what was typed } to the template and put {{ values.display_name }} in the value="" of the input.',
          );
        }
      }
      const stored = await storedName(c, username);
      if (stored !== null) c.notYet(`A refused name was saved anyway: the database has "${String(stored)}".`, 'Return right after showing the error, before the UPDATE.');

      // Accepted: 303, saved exactly as the database should hold it.
      const accepted = [
        { what: 'a name of 40 characters', value: 'A'.repeat(40), saved: 'A'.repeat(40), next: 'Accept up to 40 characters: 40 is allowed.' },
        { what: 'a name of 30 emoji (30 characters; .length says 60)', value: '🙂'.repeat(30), saved: '🙂'.repeat(30), next: COUNT },
        {
          what: '40 × é typed as e + a combining accent (80 code points before NFC, 40 characters after)',
          value: 'e\u0301'.repeat(40),
          saved: 'é'.repeat(40),
          next: NFC,
        },
        { what: '"Zoë" with ë typed as e + U+0308', value: 'Zoe\u0308', saved: 'Zoë', next: NFC },
        { what: '20 letters with a combining accent each (x + U+0301: 40 characters)', value: 'x\u0301'.repeat(20), saved: 'x\u0301'.repeat(20), next: COUNT },
      ];
      for (const { what, value, saved, next } of accepted) {
        const res = await post(value);
        if (res.status !== 303) c.notYet(`Sending ${what} answered ${res.status}, not 303: it is a valid name.`, next);
        const now = await storedName(c, username);
        if (now !== saved) {
          c.notYet(`After ${what}, the database has ${now === null ? 'NULL' : `"${String(now)}" (${[...String(now)].length} code points)`}, not the same name in NFC.`, NFC);
        }
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
