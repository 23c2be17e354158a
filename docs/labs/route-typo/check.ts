// Lab route-typo: the app starts again, and a signed-in member's account page is at /account (the
// address every link and the sign-in redirect use), showing that member.
import { defineChecks } from '../../../tools/course/check-kit.js';

const ROUTES = 'app/src/routes/account.ts';

export default defineChecks([
  {
    name: 'a signed-in member sees their account at /account',
    async run(c) {
      const { username, client } = await c.temporaryUser('lab');
      const page = await client.get('/account');
      if (page.status === 404) {
        c.notYet('GET /account answered 404: the app has no route for that address.', `The account page lives at /account (the site's links say so): give the route in ${ROUTES} that path, then make restart SERVICE=app.`);
      }
      if (page.status !== 200 || !page.body.includes(username)) {
        c.notYet(`GET /account answered ${page.status}${page.status === 200 ? ` without the member's name (${username})` : ''}.`, 'make logs SERVICE=app shows what the app did with it.');
      }
    },
  },
]);
