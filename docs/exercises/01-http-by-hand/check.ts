// Exercise 1: a user registered with curl, seen in the database and in nginx's log.
import { defineChecks } from '../../../tools/course/check-kit.js';

export default defineChecks([
  {
    name: 'a user whose name starts with "curl-" is registered',
    async run(c) {
      const rows = await c.sql("SELECT username FROM users WHERE username LIKE 'curl-%' ORDER BY id DESC LIMIT 1");
      if (rows.length === 0) {
        c.notYet('No username in the users table starts with "curl-".', 'Do step 3 of docs/exercises/01-http-by-hand/README.md.');
      }
    },
  },
  {
    name: 'nginx logged a POST /register from curl, answered with 303',
    async run(c) {
      const { nginx } = await c.logs();
      const posted = nginx.some(
        (l) => l.method === 'POST' && l.uri === '/register' && l.status === 303 && String(l.user_agent).startsWith('curl/'),
      );
      if (!posted) {
        c.notYet(
          "nginx's access log has no successful registration sent by curl (it keeps the last requests only).",
          'Register once more with curl, as in step 3, and look for the 303 in the answer.',
        );
      }
    },
  },
]);
