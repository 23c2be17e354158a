// Exercise 7: GET /members, a page of the 10 newest members, newest first, for signed-in users only.
import { defineChecks } from '../../../tools/course/check-kit.js';

/** A username as it must appear in HTML: `<` and `>` escaped, so the browser shows them as text. */
function escaped(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export default defineChecks([
  {
    name: 'GET /members answers a signed-in member with a page that lists them, HTML-escaped',
    async run(c) {
      // A name with a tag in it: the page must show it as text, not make it bold.
      const { username, client } = await c.temporaryUser('<b>new</b>');
      await client.get('/account'); // shows (and so uses up) the welcome message, which names the user too
      const page = await client.get('/members');
      if (page.status === 404) {
        c.notYet(
          'GET /members answered 404: the app has no such route yet.',
          'Write the query, app/src/routes/members.ts and app/views/members.njk (steps 2 to 5), add memberRoutes(pool) to the list of routers in app/src/app.ts, then make restart SERVICE=app.',
        );
      }
      if (page.status !== 200) {
        c.notYet(`GET /members, signed in, answered ${page.status}.`, 'make logs SERVICE=app shows what went wrong.');
      }
      if (page.body.includes(username)) {
        c.notYet(
          `The username ${username} was put into the page as HTML, so the browser would read <b> as a tag.`,
          'Show it with {{ member.username }} in app/views/members.njk, without "| safe": nunjucks then escapes it.',
        );
      }
      if (!page.body.includes(escaped(username))) {
        c.notYet(
          `A member who just registered (${username}) is not on the page.`,
          'findNewestUsers must sort newest first (ORDER BY created_at DESC) and the template must show every member in the list.',
        );
      }
    },
  },
  {
    name: 'it shows the 10 newest members, newest first, and no more',
    async run(c) {
      // Eleven members join one after the other (after the reader): the first of them is the 11th
      // newest member of the site and must be left out.
      const { client } = await c.temporaryUser('reader');
      await client.get('/account'); // uses up the welcome message
      const joined = await c.temporaryMembers('newest', 11);
      const page = await client.get('/members');
      const newestFirst = joined.slice(1).reverse().map((username) => page.body.indexOf(escaped(username)));
      if (newestFirst.some((p) => p === -1)) {
        c.notYet(
          `${newestFirst.filter((p) => p === -1).length} of the 10 members who joined last are not on the page.`,
          'Select the 10 newest: ORDER BY created_at DESC, id DESC LIMIT ?, with 10 as the value.',
        );
      }
      if (newestFirst.some((p, i) => i > 0 && p < newestFirst[i - 1]!)) {
        c.notYet(
          'The newest members are on the page, but not newest first.',
          'Sort in the SQL: ORDER BY created_at DESC, id DESC (DESC means "largest first", here the latest date).',
        );
      }
      if (page.body.includes(escaped(joined[0]!))) {
        c.notYet(
          'The page shows an 11th member: 10 other members joined after them.',
          'Keep the list at 10 rows with LIMIT ? in the SQL, and pass 10 from the route.',
        );
      }
    },
  },
  {
    name: 'the page is for members only, and the menu links to it',
    async run(c) {
      const visitor = await c.client().get('/members');
      if (visitor.status !== 302 || visitor.headers.location !== '/login') {
        c.notYet(
          `A visitor who is not signed in got ${visitor.status} from /members instead of a redirect to /login.`,
          'Put requireSignIn() before the handler: router.get(\'/members\', requireSignIn(), members).',
        );
      }
      const { client } = await c.temporaryUser('menu');
      const account = await client.get('/account');
      if (!/href="\/members"/.test(account.body)) {
        c.notYet(
          'The pages of a signed-in member have no link to /members.',
          'Add <li><a href="/members">Members</a></li> to the menu in app/views/layout.njk, inside {% if currentUser %}.',
        );
      }
    },
  },
]);
